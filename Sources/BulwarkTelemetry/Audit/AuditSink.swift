/// Where audit events go. Lives in Telemetry so any module can record without depending on a
/// database; BulwarkStore's `AuditTrail` is the durable, hash-chained implementation.
public protocol AuditSink: Sendable {
    /// Stores `event` and returns only once it is durable, so a caller that goes on to act (or to
    /// answer a client) knows the record survives a crash. Cancelling the caller does not
    /// withdraw the event: it may already be committed.
    func append(_ event: AuditEvent) async throws -> AuditReceipt

    /// Appends without the caller waiting; `completion` runs once the event is durable or has
    /// failed. For events observed on a data path, which must neither wait nor start a task per
    /// event; the default starts one, a batching sink queues the event instead.
    func appendDetached(_ event: AuditEvent, completion: @escaping @Sendable (Result<AuditReceipt, any Error>) -> Void)
}

extension AuditSink {
    public func appendDetached(_ event: AuditEvent, completion: @escaping @Sendable (Result<AuditReceipt, any Error>) -> Void) {
        Task {
            do {
                completion(.success(try await append(event)))
            } catch {
                completion(.failure(error))
            }
        }
    }
}

/// Proof that an event was stored: where it sits in the chain and the hash that seals it.
public struct AuditReceipt: Sendable, Hashable {
    public var seq: Int64
    public var time: AuditTime
    /// SHA-256 chain hash, lowercase hex. Keeping the newest one elsewhere (a log line, another
    /// system) also makes truncating the end of the trail detectable.
    public var hash: String

    public init(seq: Int64, time: AuditTime, hash: String) {
        self.seq = seq
        self.time = time
        self.hash = hash
    }
}

extension AuditSink {
    /// Records an event from its parts; the common call site reads as one sentence.
    @discardableResult
    public func record(
        actor: String, action: String, resource: String, outcome: AuditOutcome,
        details: [String: String] = [:], requestID: String? = nil
    ) async throws -> AuditReceipt {
        try await append(
            AuditEvent(
                actor: actor, action: action, resource: resource, outcome: outcome,
                details: details, requestID: requestID))
    }
}
