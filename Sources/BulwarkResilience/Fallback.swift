import BulwarkCore

/// What to answer when the call fails for good: a cached value, a default, a reduced answer. Handlers
/// are matched by error code first, then by predicate, so "circuit open → cached score" and
/// "anything else → rethrow" are both one line.
public struct FallbackPolicy<Output: Sendable>: Sendable {
    public typealias Handler = @Sendable (any Error) async throws -> Output

    private var byCode: [String: Handler] = [:]
    private var rules: [(matches: @Sendable (any Error) -> Bool, handler: Handler)] = []
    private var otherwise: Handler?

    public init() {}

    /// Handles errors carrying `code`.
    public func on(_ code: ErrorCode, _ handler: @escaping Handler) -> Self {
        var copy = self
        copy.byCode[code.code] = handler
        return copy
    }

    /// Handles errors the predicate accepts (checked in the order added, after codes).
    public func when(_ matches: @escaping @Sendable (any Error) -> Bool, _ handler: @escaping Handler) -> Self {
        var copy = self
        copy.rules.append((matches, handler))
        return copy
    }

    /// Handles everything not matched above.
    public func otherwise(_ handler: @escaping Handler) -> Self {
        var copy = self
        copy.otherwise = handler
        return copy
    }

    /// The handler for `error`, or nil when the error must propagate. Cancellation always
    /// propagates: a caller that went away wants no substitute answer.
    public func handler(for error: any Error) -> Handler? {
        if error is CancellationError { return nil }
        if let error = error as? BulwarkError, let handler = byCode[error.code.code] { return handler }
        for rule in rules where rule.matches(error) { return rule.handler }
        return otherwise
    }

    nonisolated(nonsending) public func run(_ operation: () async throws -> Output) async throws -> Output {
        do {
            return try await operation()
        } catch {
            guard let handler = handler(for: error) else { throw error }
            return try await handler(error)
        }
    }
}
