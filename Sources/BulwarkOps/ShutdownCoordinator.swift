import Logging
import Synchronization

/// Shutdown handlers registered by modules (flush logs, close pools, checkpoint state). They run
/// in reverse order of registration, like nested scopes unwinding; each has a time bound, and one
/// that fails or hangs does not stop the others.
public final class ShutdownCoordinator: Sendable {
    public struct Handler: Sendable {
        public let name: String
        public let timeout: Duration
        public let run: @Sendable () async throws -> Void
    }

    /// What happened to one handler.
    public enum Outcome: Sendable, Equatable {
        case completed
        case failed(String)
        case timedOut
    }

    private let handlers = Mutex<[Handler]>([])
    private let logger: Logger

    public init(logger: Logger = Logger(label: "bulwark.shutdown")) {
        self.logger = logger
    }

    public func register(_ name: String, timeout: Duration = .seconds(5), _ run: @escaping @Sendable () async throws -> Void) {
        handlers.withLock { $0.append(Handler(name: name, timeout: timeout, run: run)) }
    }

    /// Runs every handler once, newest first, and reports each outcome. Handlers are taken out of
    /// the coordinator, so a second call runs nothing.
    @discardableResult
    public func runAll<C: Clock>(clock: C) async -> [(name: String, outcome: Outcome)] where C.Duration == Duration {
        let pending = handlers.withLock { list -> [Handler] in
            defer { list.removeAll() }
            return list
        }
        var outcomes: [(name: String, outcome: Outcome)] = []
        for handler in pending.reversed() {
            let outcome = await Self.run(handler, clock: clock)
            switch outcome {
            case .completed:
                logger.debug("shutdown handler completed", metadata: ["handler": "\(handler.name)"])
            case .failed(let reason):
                logger.error("shutdown handler failed", metadata: ["handler": "\(handler.name)", "reason": "\(reason)"])
            case .timedOut:
                logger.error("shutdown handler timed out", metadata: ["handler": "\(handler.name)"])
            }
            outcomes.append((handler.name, outcome))
        }
        return outcomes
    }

    public func runAll() async -> [(name: String, outcome: Outcome)] {
        await runAll(clock: ContinuousClock())
    }

    /// Races the handler against its timeout. The handler runs in its own task so that one which
    /// ignores cancellation cannot hold shutdown hostage: it is abandoned, not awaited.
    private static func run<C: Clock>(_ handler: Handler, clock: C) async -> Outcome where C.Duration == Duration {
        let race = Race()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            race.start(continuation)
            let work = Task {
                do {
                    try await handler.run()
                    race.finish(.completed)
                } catch {
                    race.finish(.failed(String(describing: error)))
                }
            }
            race.setSleeper(Task {
                do {
                    try await clock.sleep(for: handler.timeout)
                } catch {
                    return
                }
                if race.finish(.timedOut) { work.cancel() }
            })
        }
    }
}

/// First-result-wins state for one handler's race; the loser is cancelled.
private final class Race: Sendable {
    private struct State {
        var continuation: CheckedContinuation<ShutdownCoordinator.Outcome, Never>?
        var decided = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<ShutdownCoordinator.Outcome, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func setSleeper(_ task: Task<Void, Never>) {
        let alreadyDecided = state.withLock { state -> Bool in
            state.sleeper = task
            return state.decided
        }
        if alreadyDecided { task.cancel() }
    }

    @discardableResult
    func finish(_ outcome: ShutdownCoordinator.Outcome) -> Bool {
        let (continuation, sleeper) = state.withLock { state -> (CheckedContinuation<ShutdownCoordinator.Outcome, Never>?, Task<Void, Never>?) in
            if state.decided { return (nil, nil) }
            state.decided = true
            defer { state.continuation = nil }
            return (state.continuation, state.sleeper)
        }
        guard let continuation else { return false }
        continuation.resume(returning: outcome)
        if outcome != .timedOut { sleeper?.cancel() }
        return true
    }
}
