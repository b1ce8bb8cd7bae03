import Synchronization

/// Hands the sample service's bound port to the gateway: the sample binds port 0 on loopback and
/// the gateway must not listen until it knows where to send traffic.
public final class SampleUpstream: Sendable {
    /// Upstream name used for the sample in routes, metrics and logs.
    public static let name = "sample"

    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    public init() {}

    public func publish(port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, Never>] in
            state.port = port
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    public func port() async -> Int {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
