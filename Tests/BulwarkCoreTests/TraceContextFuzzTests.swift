import BulwarkCore
import BulwarkTesting
import Testing

/// `traceparent` arrives from any client: generated headers (valid ones, single mutations of valid
/// ones, every truncation, and random bytes) must parse exactly when an independent hand check of
/// the W3C grammar accepts them, and a parsed header must be continued into a well-formed one with
/// the same trace id. Seeded, bounded, deterministic.
@Suite("traceparent parsing under random input")
struct TraceContextFuzzTests {
    // MARK: - Independent reference

    /// The W3C Trace Context grammar checked byte by byte, written separately from the parser:
    /// `version "-" trace-id "-" parent-id "-" flags`, all lowercase hex; version `ff` is invalid;
    /// ids must not be all zeros; version `00` is exactly 55 bytes, a later version may continue
    /// with `-` and anything.
    static func reference(_ header: String) -> (traceID: String, parentID: String, flags: String)? {
        let bytes = Array(header.utf8)
        func isHex(_ range: Range<Int>) -> Bool {
            range.allSatisfy { index in
                let byte = bytes[index]
                return (48...57).contains(byte) || (97...102).contains(byte)
            }
        }
        func isZero(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] == 48 } }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        guard bytes.count >= 55 else { return nil }
        let version = 0..<2, trace = 3..<35, parent = 36..<52, flags = 53..<55
        guard isHex(version), isHex(trace), isHex(parent), isHex(flags) else { return nil }
        guard bytes[2] == 45, bytes[35] == 45, bytes[52] == 45 else { return nil }
        let versionText = text(version)
        if versionText == "ff" { return nil }
        if versionText == "00" {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == 45 else { return nil }
        }
        guard !isZero(trace), !isZero(parent) else { return nil }
        return (text(trace), text(parent), text(flags))
    }

    static func isLowerHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    // MARK: - Generators

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ count: Int, _ rng: inout SplitMix64) -> String {
        // Sometimes mostly zeros, so the all-zero rule is exercised near its edge.
        let zeroHeavy = rng.next() % 4 == 0
        let digits = (0..<count).map { _ -> UInt8 in
            if zeroHeavy, rng.next() % 8 != 0 { return 48 }
            return hexDigits[Int(rng.next() % 16)]
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// A header the grammar allows (or nearly: the version may come out `ff`, the ids all zero).
    static func wellFormed(_ rng: inout SplitMix64) -> String {
        let version: String
        switch rng.next() % 4 {
        case 0: version = hex(2, &rng)
        case 1: version = "ff"
        default: version = "00"
        }
        var header = "\(version)-\(hex(32, &rng))-\(hex(16, &rng))-\(hex(2, &rng))"
        if version != "00", rng.next() % 2 == 0 {
            header += "-" + hex(Int(rng.next() % 20), &rng)
        }
        return header
    }

    /// Bytes that matter to the grammar: separators, hex edges, case, whitespace, controls.
    static let interestingBytes: [UInt8] = Array("-_0019afAFgG xz".utf8) + [0x09, 0x0A, 0x0D, 0x00, 0x7F, 0x80, 0xFF]
    /// Insertions, some multi-byte (non-ASCII) and some long runs.
    static let insertions: [String] = [
        "-", "--", " ", "\t", "\r\n", "\u{0}", "\u{7F}", "é", "\u{FEFF}", "😀", "0", "f", "F", ",",
        String(repeating: "0", count: 300), String(repeating: "-", count: 64), String(repeating: "a", count: 1_000),
    ]

    static let mutator = ByteMutator(interestingBytes: interestingBytes, insertions: insertions)

    static func mutate(_ header: String, _ rng: inout SplitMix64) -> String { mutator.mutate(header, &rng) }

    static func randomBytes(_ rng: inout SplitMix64) -> String {
        let count = Int(rng.next() % 80)
        // Half from the grammar's own alphabet (so near-misses happen), half from all bytes.
        let alphabet = rng.next() % 2 == 0
        let bytes = (0..<count).map { _ -> UInt8 in
            if alphabet { return Array("0123456789abcdef-".utf8)[Int(rng.next() % 17)] }
            return UInt8(truncatingIfNeeded: rng.next())
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Properties

    /// Parser and reference agree; a parsed header is continued into a well-formed version-00
    /// header with the same trace id and flags and a fresh non-zero span; an unparsed one starts a
    /// new, well-formed, sampled trace.
    func check(_ header: String, _ label: String, _ rng: inout SplitMix64) {
        let parsed = TraceContext.parse(header)
        let expected = Self.reference(header)
        #expect(parsed?.traceID == expected?.traceID, "\(label): \(header.debugDescription)")
        #expect(parsed?.parentID == expected?.parentID, "\(label): \(header.debugDescription)")
        #expect(parsed?.flags == expected?.flags, "\(label): \(header.debugDescription)")

        let context = TraceContext.continueOrStart(incoming: header, using: &rng)
        #expect(context.traceparent.utf8.count == 55, "\(label)")
        #expect(Self.isLowerHex(context.traceID, count: 32) && Self.isLowerHex(context.spanID, count: 16), "\(label)")
        #expect(context.traceparent == "00-\(context.traceID)-\(context.spanID)-\(context.flags)", "\(label)")
        let reparsed = TraceContext.parse(context.traceparent)
        #expect(reparsed?.traceID == context.traceID && reparsed?.parentID == context.spanID, "\(label): \(context.traceparent)")
        #expect(Self.reference(context.traceparent) != nil, "\(label): \(context.traceparent)")
        if let parsed {
            #expect(context.traceID == parsed.traceID, "\(label): trace id must be continued")
            #expect(context.flags == parsed.flags, "\(label): flags must be continued")
            // A version-00 header round-trips through its parsed fields.
            if header.hasPrefix("00-") {
                #expect("00-\(parsed.traceID)-\(parsed.parentID)-\(parsed.flags)" == header, "\(label)")
            }
        } else {
            #expect(context.flags == "01", "\(label): a fresh trace is sampled")
        }
    }

    @Test func wellFormedHeaders() {
        var rng = SplitMix64(seed: 0x7EACE_0001)
        var accepted = 0
        for round in 0..<2_000 {
            let header = Self.wellFormed(&rng)
            if TraceContext.parse(header) != nil { accepted += 1 }
            check(header, "well-formed \(round)", &rng)
        }
        // The generator must mostly produce acceptable headers, or the test checks little.
        #expect(accepted > 1_000)
    }

    @Test func everyTruncationAndEverySingleByteSubstitution() {
        var rng = SplitMix64(seed: 0x7EACE_0002)
        let headers = [
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-the-future-brings",
            "00-00000000000000000000000000000001-0000000000000001-ff",
        ]
        for header in headers {
            let bytes = Array(header.utf8)
            for length in 0...bytes.count {
                check(String(decoding: bytes[..<length], as: UTF8.self), "prefix \(length) of \(header)", &rng)
            }
            for position in bytes.indices {
                for replacement in Self.interestingBytes {
                    var mutated = bytes
                    mutated[position] = replacement
                    check(String(decoding: mutated, as: UTF8.self), "byte \(position) = \(replacement)", &rng)
                }
            }
        }
    }

    @Test func randomMutationsOfWellFormedHeaders() {
        var rng = SplitMix64(seed: 0x7EACE_0003)
        for round in 0..<3_000 {
            var header = Self.wellFormed(&rng)
            for _ in 0..<(1 + Int(rng.next() % 3)) { header = Self.mutate(header, &rng) }
            check(header, "mutated \(round)", &rng)
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x7EACE_0004)
        for round in 0..<3_000 {
            check(Self.randomBytes(&rng), "random \(round)", &rng)
        }
    }
}
