import BulwarkCore

/// Bounds how long a call may take: when the limit passes, the call's task is cancelled and the
/// caller gets `TIMEOUT` at once, without waiting for the call to notice the cancellation.
///
/// The work runs in a task of its own, so cancelling it leaves the caller's task (and a retry above
/// it) untouched. By default that task starts inline on the caller's thread: no thread hop, and work
/// that finishes without suspending touches no timer and no cancellation handler. Work that
/// suspends queues its deadline with the one scheduler of its `TimeSource`. The caller's
/// cancellation cancels the work and ends the wait with `CancellationError`; a caller already
/// cancelled does not start the work. Work that ignores cancellation keeps running after the
/// caller has left.
public struct TimeoutPolicy: Sendable {
    /// Per call, counted from the call's start; a limit beyond the clock's range never fires.
    public var limit: Duration {
        didSet { limitNanoseconds = limit.nanosecondsClamped }
    }
    /// Calls on one source share one timer; tests pass a manual clock's source.
    public var time: TimeSource
    /// Inline (the default) the deadline still counts from the call's start, but the caller can only
    /// be answered once the work first suspends, so a long synchronous stretch (CPU-bound work)
    /// delays `TIMEOUT` until its end; a value ready by then is returned. `false` starts the work on
    /// the global executor instead, so `TIMEOUT` comes on time even then, for a thread hop per call.
    public var startsWorkInline: Bool

    /// `limit` as the time source counts, converted once rather than per call.
    private var limitNanoseconds: Int64

    public init(_ limit: Duration, time: TimeSource = .continuous, startsWorkInline: Bool = true) {
        self.limit = limit
        limitNanoseconds = limit.nanosecondsClamped
        self.time = time
        self.startsWorkInline = startsWorkInline
    }

    /// Runs `operation` in a task of its own, answered by whichever comes first: its outcome, the
    /// deadline, or the caller's cancellation.
    public func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        if Task.isCancelled { throw CancellationError() }
        let call = TimedCall(deadline: deadline(from: time.now()), limit: limit)
        let work = start(operation, reportingTo: call)
        if case .running = call.started() {
            call.arm(work, on: time.deadlines)
            let handedOver: T? = try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T?, any Error>) in
                    switch call.park(ErasedContinuation(continuation)) {
                    case .parked: break
                    case .finished: continuation.resume(returning: nil)
                    case .failed(let error): continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                call.cancelByCaller()
            }
            if let handedOver { return handedOver }
        }
        // The work finished before the caller parked: its task holds the value or the error, and
        // awaiting it does not suspend (or only until that task, which has just reported, completes).
        return try await work.value
    }

    /// Saturates instead of wrapping, so a limit beyond the clock's range means "never".
    private func deadline(from start: Int64) -> Int64 {
        let (deadline, overflow) = start.addingReportingOverflow(limitNanoseconds)
        guard overflow else { return deadline }
        return limitNanoseconds > 0 ? .max : .min
    }

    private func start<T: Sendable>(
        _ operation: @escaping @Sendable () async throws -> T, reportingTo call: TimedCall
    ) -> Task<T, any Error> {
        if startsWorkInline, #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            return Task.immediate { try await Self.work(operation, reportingTo: call) }
        }
        return Task { try await Self.work(operation, reportingTo: call) }
    }

    private static func work<T: Sendable>(_ operation: @Sendable () async throws -> T, reportingTo call: TimedCall) async throws -> T {
        do {
            let value = try await operation()
            call.finish()?.resume(as: T.self, returning: value)
            return value
        } catch {
            call.finish()?.resume(throwing: error)
            throw error
        }
    }
}
