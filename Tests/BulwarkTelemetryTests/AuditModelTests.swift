import BulwarkTelemetry
import Synchronization
import Testing

@Suite struct AuditModelTests {
    static let entry = AuditEntry(
        seq: 42, time: AuditTime(microsecondsSinceEpoch: 1_795_461_296_000_123),
        event: AuditEvent(
            actor: "alice smith", action: "config.reload", resource: "routes", outcome: .success,
            details: ["zeta": "last", "alpha": "a \"quoted\"\nline", "Beta": "upper"], requestID: "req-1"),
        hash: String(repeating: "ab", count: 32))

    @Test func timesAreRFC3339UTCWithMicroseconds() {
        #expect(AuditTime(microsecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000000Z")
        #expect(AuditTime(microsecondsSinceEpoch: 1_795_461_296_000_123).rfc3339 == "2026-11-23T19:14:56.000123Z")
        #expect(AuditTime(microsecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
        let later = AuditTime(microsecondsSinceEpoch: 10_000_000)
        #expect(later.subtracting(.milliseconds(2500)).microsecondsSinceEpoch == 7_500_000)
    }

    @Test func detailsEncodeWithKeysInByteOrder() {
        #expect(Self.entry.event.detailsJSON == #"{"Beta":"upper","alpha":"a \"quoted\"\nline","zeta":"last"}"#)
        #expect(AuditEvent(actor: "a", action: "b", resource: "c", outcome: .denied).detailsJSON == "{}")
    }

    @Test func jsonLinesUseTheStableFieldNames() {
        let expected =
            #"{"seq":42,"time":"2026-11-23T19:14:56.000123Z","actor":"alice smith","action":"config.reload","#
            + #""resource":"routes","outcome":"success","details":{"Beta":"upper","alpha":"a \"quoted\"\nline","zeta":"last"},"#
            + #""request_id":"req-1","hash":""# + String(repeating: "ab", count: 32) + #""}"#
        #expect(AuditEntryFormatter.jsonLine(Self.entry) == expected)
        var bare = Self.entry
        bare.event.requestID = nil
        bare.event.details = [:]
        #expect(AuditEntryFormatter.jsonLine(bare).contains(#""details":{},"request_id":null,"#))
    }

    @Test func textLinesQuoteOnlyWhatIsAmbiguous() {
        let line = AuditEntryFormatter.textLine(Self.entry)
        #expect(line.hasPrefix(#"42 2026-11-23T19:14:56.000123Z "alice smith" config.reload routes success request_id=req-1 {"#))
        #expect(line.hasSuffix(" hash=abababababababab"))
        #expect(!line.contains("\n"))
        let rendered = AuditEntryFormatter.render([Self.entry, Self.entry], format: .json)
        #expect(rendered.split(separator: "\n").count == 2 && rendered.hasSuffix("}\n"))
    }

    @Test func recordBuildsTheEventItDescribes() async throws {
        let sink = CollectingSink()
        let receipt = try await sink.record(
            actor: "ops", action: "ip.unblock", resource: "10.0.0.1", outcome: .success, details: ["by": "cli"])
        #expect(receipt.seq == 1)
        #expect(sink.events == [AuditEvent(actor: "ops", action: "ip.unblock", resource: "10.0.0.1", outcome: .success, details: ["by": "cli"])])
    }
}

/// An in-memory sink: enough to check what `record` hands to `append`.
private final class CollectingSink: AuditSink {
    private let stored = Mutex<[AuditEvent]>([])

    var events: [AuditEvent] { stored.withLock { $0 } }

    func append(_ event: AuditEvent) async throws -> AuditReceipt {
        let seq = stored.withLock { events -> Int in
            events.append(event)
            return events.count
        }
        return AuditReceipt(seq: Int64(seq), time: AuditTime(microsecondsSinceEpoch: 0), hash: "")
    }
}
