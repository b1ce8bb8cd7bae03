/// A parked caller's continuation with its value type erased, so the non-generic `TimedCall` can
/// hold it and the work can hand its value straight to the caller (no second wait on the work's
/// task). Sound because `UnsafeContinuation` is a frozen struct holding one pointer whose layout
/// does not depend on its value type, and a value is only ever resumed with the type the
/// continuation was made for: `TimeoutPolicy.run` and the work it starts share `T`. Errors carry
/// no value.
struct ErasedContinuation: @unchecked Sendable {
    private let raw: UnsafeRawPointer

    init<T>(_ continuation: UnsafeContinuation<T?, any Error>) {
        raw = unsafeBitCast(continuation, to: UnsafeRawPointer.self)
    }

    /// `type` must be the `T` the continuation was created with (spelled out so that it cannot be
    /// inferred as anything else, such as `T?`).
    func resume<T>(as type: T.Type, returning value: sending T) {
        unsafeBitCast(raw, to: UnsafeContinuation<T?, any Error>.self).resume(returning: value)
    }

    func resume(throwing error: any Error) {
        unsafeBitCast(raw, to: UnsafeContinuation<Void?, any Error>.self).resume(throwing: error)
    }
}
