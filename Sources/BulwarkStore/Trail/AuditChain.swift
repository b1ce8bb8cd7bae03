import BulwarkCore
import BulwarkTelemetry
import Crypto
import Foundation

/// The hash chain: `hash_n = SHA-256(hash_{n-1} || canonical bytes of event n)`. The canonical
/// bytes are length-prefixed, so no choice of field contents can make two different events
/// encode alike, and they include the sequence number, so moving an event breaks its hash.
enum AuditChain {
    /// The "previous hash" of the first event ever appended.
    static let genesis = Data(repeating: 0, count: SHA256.byteCount)

    /// Version tag mixed into every hash, so a future encoding can never collide with this one.
    private static let domain = Array("bulwark.audit.v1".utf8)

    static func hash(previous: Data, row: AuditChainRow) -> Data {
        hash(previous: previous, seq: row.seq, row: row)
    }

    /// The hash `row` would have if it sat at `seq`; the verifier uses it to recognise moved events.
    static func hash(previous: Data, seq: Int64, row: AuditChainRow) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + row.detailsJSON.utf8.count)
        bytes.append(contentsOf: domain)
        appendInteger(seq, to: &bytes)
        appendInteger(row.timeMicros, to: &bytes)
        appendField(row.actor, to: &bytes)
        appendField(row.action, to: &bytes)
        appendField(row.resource, to: &bytes)
        appendField(row.outcome, to: &bytes)
        appendField(row.detailsJSON, to: &bytes)
        if let requestID = row.requestID {
            bytes.append(1)
            appendField(requestID, to: &bytes)
        } else {
            bytes.append(0)
        }
        hasher.update(data: bytes)
        return Data(hasher.finalize())
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendField(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }
}

/// An event exactly as stored: the columns the hash covers, in their stored form (details as the
/// stored JSON text, not re-encoded), plus the stored hash.
struct AuditChainRow: Sendable, Hashable {
    var seq: Int64
    var timeMicros: Int64
    var actor: String
    var action: String
    var resource: String
    var outcome: String
    var detailsJSON: String
    var requestID: String?
    var hash: Data

    init(seq: Int64, time: AuditTime, event: AuditEvent, previous: Data) {
        self.seq = seq
        self.timeMicros = time.microsecondsSinceEpoch
        self.actor = event.actor
        self.action = event.action
        self.resource = event.resource
        self.outcome = event.outcome.rawValue
        self.detailsJSON = event.detailsJSON
        self.requestID = event.requestID
        self.hash = Data()
        self.hash = AuditChain.hash(previous: previous, row: self)
    }

    init(
        seq: Int64, timeMicros: Int64, actor: String, action: String, resource: String, outcome: String,
        detailsJSON: String, requestID: String?, hash: Data
    ) {
        self.seq = seq
        self.timeMicros = timeMicros
        self.actor = actor
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.detailsJSON = detailsJSON
        self.requestID = requestID
        self.hash = hash
    }

    var receipt: AuditReceipt {
        AuditReceipt(seq: seq, time: AuditTime(microsecondsSinceEpoch: timeMicros), hash: hash.hexString)
    }

    /// The public form; details that no longer parse (a tampered row) are shown raw under `_raw`
    /// so `trail show` still works while `trail verify` names the row.
    var entry: AuditEntry {
        let details: [String: String]
        if let parsed = try? JSONDecoder().decode([String: String].self, from: Data(detailsJSON.utf8)) {
            details = parsed
        } else {
            details = ["_raw": detailsJSON]
        }
        let event = AuditEvent(
            actor: actor, action: action, resource: resource, outcome: AuditOutcome(rawValue: outcome),
            details: details, requestID: requestID)
        return AuditEntry(seq: seq, time: AuditTime(microsecondsSinceEpoch: timeMicros), event: event, hash: hash.hexString)
    }
}

extension Data {
    /// Lowercase hex, the form hashes take in receipts, `trail show` and error messages.
    var hexString: String { HexDigits.string(bytes: self) }
}
