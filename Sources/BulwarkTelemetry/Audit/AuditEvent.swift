/// One thing worth proving later: who did what to which resource, and how it ended. The trail
/// adds the sequence number, the time and the hash when it stores the event (see `AuditEntry`).
public struct AuditEvent: Sendable, Hashable {
    /// Who acted: a user, an API key's name, a replica, `system`.
    public var actor: String
    /// What was done, dotted by convention: `config.reload`, `breaker.reset`, `ip.unblock`.
    public var action: String
    /// What it was done to: a route, a breaker name, an address.
    public var resource: String
    public var outcome: AuditOutcome
    /// Small facts that explain the event; never secrets (the trail is read by operators).
    public var details: [String: String]
    /// Ties the event to the request (and its log lines) that caused it, when there was one.
    public var requestID: String?

    public init(
        actor: String, action: String, resource: String, outcome: AuditOutcome,
        details: [String: String] = [:], requestID: String? = nil
    ) {
        self.actor = actor
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.details = details
        self.requestID = requestID
    }
}

/// How an audited action ended. An open set of strings (stored as text) with the usual values
/// named, so a new kind of outcome needs no schema or code change.
public struct AuditOutcome: RawRepresentable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// The action was carried out.
    public static let success = AuditOutcome(rawValue: "success")
    /// The action was attempted and failed.
    public static let failure = AuditOutcome(rawValue: "failure")
    /// The action was refused (authorisation, policy) before anything changed.
    public static let denied = AuditOutcome(rawValue: "denied")

    public var description: String { rawValue }
}
