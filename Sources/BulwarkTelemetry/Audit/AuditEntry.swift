/// An event as the trail stores it: its place in the chain (`seq`), when it was committed, and
/// the chain hash that covers it and everything before it.
public struct AuditEntry: Sendable, Hashable {
    public var seq: Int64
    public var time: AuditTime
    public var event: AuditEvent
    /// SHA-256 chain hash, lowercase hex (64 characters).
    public var hash: String

    public init(seq: Int64, time: AuditTime, event: AuditEvent, hash: String) {
        self.seq = seq
        self.time = time
        self.event = event
        self.hash = hash
    }
}
