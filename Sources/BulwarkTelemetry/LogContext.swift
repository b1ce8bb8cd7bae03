import Logging

/// The ids that tie log lines together (`request_id`, `trace_id`, `user_id`, `job_id`), carried in
/// a task-local so they reach every line logged inside a request or job, through async calls and
/// child tasks, without being passed by hand, and are gone when the scope ends.
///
/// ``JSONLogHandler`` reads it directly (no dictionary per line); other handlers get it through
/// ``metadataProvider``. Metadata given explicitly on a logger or a call wins over the context.
public struct LogContext: Sendable, Hashable {
    public var requestID: String?
    public var traceID: String?
    public var userID: String?
    public var jobID: String?

    public init(requestID: String? = nil, traceID: String? = nil, userID: String? = nil, jobID: String? = nil) {
        self.requestID = requestID
        self.traceID = traceID
        self.userID = userID
        self.jobID = jobID
    }

    /// The context of the running task (empty outside any scope).
    @TaskLocal public static var current = LogContext()

    public var isEmpty: Bool {
        requestID == nil && traceID == nil && userID == nil && jobID == nil
    }

    /// The ids as swift-log metadata, under the keys ``JSONLogHandler`` lifts to top level.
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        if let requestID { metadata[Key.requestID] = .string(requestID) }
        if let traceID { metadata[Key.traceID] = .string(traceID) }
        if let userID { metadata[Key.userID] = .string(userID) }
        if let jobID { metadata[Key.jobID] = .string(jobID) }
        return metadata
    }

    /// Metadata keys of the ids.
    public enum Key {
        public static let requestID = "request_id"
        public static let traceID = "trace_id"
        public static let userID = "user_id"
        public static let jobID = "job_id"
    }

    /// Supplies the current context to any swift-log handler (``ConsoleLogHandler`` uses it by
    /// default; pass it to third-party handlers or `LoggingSystem.bootstrap`).
    public static let metadataProvider = Logger.MetadataProvider {
        let context = current
        return context.isEmpty ? [:] : context.metadata
    }

    /// This context with the given ids set; ids passed as `nil` keep their current value.
    public func adding(requestID: String? = nil, traceID: String? = nil, userID: String? = nil, jobID: String? = nil) -> LogContext {
        LogContext(
            requestID: requestID ?? self.requestID, traceID: traceID ?? self.traceID, userID: userID ?? self.userID,
            jobID: jobID ?? self.jobID)
    }

    /// Runs `operation` with the given ids added to the current context (ids not given are
    /// inherited from the enclosing scope).
    public static func withValues<R>(
        requestID: String? = nil, traceID: String? = nil, userID: String? = nil, jobID: String? = nil,
        operation: () throws -> R
    ) rethrows -> R {
        let next = current.adding(requestID: requestID, traceID: traceID, userID: userID, jobID: jobID)
        return try $current.withValue(next, operation: operation)
    }

    /// Runs `operation` with the given ids added to the current context; child tasks it starts
    /// inherit them.
    public static func withValues<R>(
        requestID: String? = nil, traceID: String? = nil, userID: String? = nil, jobID: String? = nil,
        isolation: isolated (any Actor)? = #isolation,
        operation: () async throws -> R
    ) async rethrows -> R {
        let next = current.adding(requestID: requestID, traceID: traceID, userID: userID, jobID: jobID)
        return try await $current.withValue(next, operation: operation)
    }
}
