import BulwarkCore

/// The top-level fields of a record that renders itself: what a once-per-request record (the
/// access log) hands to ``JSONLogHandler/log(level:message:fields:file:function:line:)`` instead
/// of a swift-log metadata dictionary. Building and walking that dictionary costs more than
/// rendering the whole line, so the high-volume records skip it; every other line goes through
/// swift-log as usual.
public protocol LogRecordFields {
    /// The ``LogContext`` ids this record writes itself; the handler leaves those out of the
    /// context it adds, so no key appears twice.
    var contextIDs: LogContextIDs { get }

    /// Appends the record's members, each preceded by a comma (`,"request_id":"…","http":{…}`).
    /// Text that may carry secrets goes through `redactor` first.
    func appendFields(to out: inout JSONBuffer, redactor: LogRedactor)
}

/// A set of ``LogContext`` ids, named by the keys they are logged under.
public struct LogContextIDs: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let requestID = LogContextIDs(rawValue: 1)
    public static let traceID = LogContextIDs(rawValue: 2)
    public static let userID = LogContextIDs(rawValue: 4)
    public static let jobID = LogContextIDs(rawValue: 8)
}
