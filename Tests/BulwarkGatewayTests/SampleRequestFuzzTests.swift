@testable import BulwarkGateway
import BulwarkTesting
import Foundation
import Testing

/// The sample service's request parsing, called directly: JSON bodies for `POST /score` and CSV
/// uploads for `POST /upload`. Generated records (each field valid, missing, mistyped or out of
/// range) must be judged exactly as an independent per-field reference says, the same record must
/// be judged identically as JSON and as a CSV row, CSV tables must read back field for field, and
/// mutated or random bodies must fail only with the documented errors. Seeded, bounded, deterministic.
@Suite("sample service request parsing under random input")
struct SampleRequestFuzzTests {
    // MARK: - Record generator with its own verdict

    /// What the generator put in a field, and so what the validator must say about it.
    enum Status: Equatable {
        case absent, null, valid, wrongType, invalid
    }

    struct Generated {
        var fields: [String: SampleJSONValue] = [:]
        var statuses: [ProjectField: Status] = [:]
        var unknown: [String] = []

        /// Fields the validator must name, in its order: known fields first, then unknown ones.
        var expectedProblemFields: [String] {
            var names = ProjectField.allCases.filter { field in
                switch statuses[field] ?? .absent {
                case .valid: return false
                case .absent, .null: return field.isRequired
                case .wrongType, .invalid: return true
                }
            }.map(\.rawValue)
            let sorted = unknown.sorted()
            names += sorted.prefix(ProjectRecordValidator.maxUnknownFieldsReported)
            if sorted.count > ProjectRecordValidator.maxUnknownFieldsReported { names.append("(record)") }
            return names
        }
    }

    static let idCharacters = Array("ABCXYZabcxyz0189_-")
    static let textCharacters: [String] = ["a", "Z", "7", " ", "é", "日", "😀", ",", "\"", "'", "\\", "/", "\n", "\t", "{", "}", "[", "]", ":"]

    static func text(_ count: Int, _ rng: inout SplitMix64) -> String {
        (0..<count).map { _ in textCharacters[Int(rng.next() % UInt64(textCharacters.count))] }.joined()
    }

    /// Text whose ends are not whitespace, so trimming leaves exactly `count` characters.
    static func solidText(_ count: Int, _ rng: inout SplitMix64) -> String {
        guard count > 0 else { return "" }
        let edge = ["a", "é", "😀", "7", "\""]
        if count == 1 { return edge[Int(rng.next() % 5)] }
        return edge[Int(rng.next() % 5)] + text(count - 2, &rng) + edge[Int(rng.next() % 5)]
    }

    static let padding = ["", "", " ", "  ", "\t"]

    /// A value of the wrong JSON type for a field of `kind`; `csvSafe` keeps to what a CSV cell can
    /// say the same way (strings that are not numbers).
    static func wrongType(for kind: ProjectField.Kind, csvSafe: Bool, _ rng: inout SplitMix64) -> SampleJSONValue {
        if kind != .string {
            let strings = ["abc", "12 apples", "nan", "inf", "-", "1,000", "ten"]
            if csvSafe || rng.next() % 2 == 0 { return .string(strings[Int(rng.next() % UInt64(strings.count))]) }
        } else if !csvSafe, rng.next() % 2 == 0 {
            return .number(Double(rng.next() % 100))
        }
        switch rng.next() % 3 {
        case 0: return .bool(rng.next() % 2 == 0)
        case 1: return .array([.number(1), .string("x")])
        default: return .object(["k": .null])
        }
    }

    static func integerValue(in range: ClosedRange<Int>, status: Status, _ rng: inout SplitMix64) -> SampleJSONValue {
        if status == .valid {
            let span = UInt64(range.upperBound - range.lowerBound + 1)
            return .number(Double(range.lowerBound + Int(rng.next() % span)))
        }
        switch rng.next() % 4 {
        case 0: return .number(Double(range.lowerBound - 1 - Int(rng.next() % 10)))
        case 1: return .number(Double(range.upperBound + 1 + Int(rng.next() % 10_000)))
        case 2: return .number(Double(range.lowerBound) + 0.5)
        default: return .number(-1e300)
        }
    }

    static func date(_ rng: inout SplitMix64) -> (text: String, valid: Bool) {
        let year = 1890 + Int(rng.next() % 330)
        let month = 1 + Int(rng.next() % 12)
        let day = 1 + Int(rng.next() % 31)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        let valid = day <= length && (1900...2200).contains(year)
        switch rng.next() % 8 {
        case 0: return ("\(year)/\(pad(month, 2))/\(pad(day, 2))", false)
        case 1: return ("\(year)-\(month)-\(day)" + (month < 10 || day < 10 ? "" : "T"), false)
        default: return ("\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))", valid)
        }
    }

    /// One record. With `csvSafe`, only values a CSV cell can carry with the same meaning.
    static func record(csvSafe: Bool, _ rng: inout SplitMix64) -> Generated {
        var generated = Generated()
        for field in ProjectField.allCases {
            var status: Status
            switch rng.next() % 10 {
            case 0: status = .absent
            case 1: status = .null
            case 2: status = .wrongType
            case 3: status = .invalid
            default: status = .valid
            }
            // Any CSV cell is a string, so a string field cannot be mistyped there.
            if csvSafe, field.kind == .string, status == .wrongType { status = .invalid }
            var value: SampleJSONValue?
            switch (field, status) {
            case (_, .absent): value = nil
            case (_, .null): value = .null
            case (_, .wrongType): value = wrongType(for: field.kind, csvSafe: csvSafe, &rng)
            case (.projectID, .valid):
                value = .string(String((0..<(1 + Int(rng.next() % 64))).map { _ in idCharacters[Int(rng.next() % UInt64(idCharacters.count))] }))
            case (.projectID, _):
                let bad = ["P 1", "P.1", "é", "a/b", String(repeating: "x", count: 65), "P\u{0}"]
                value = .string(bad[Int(rng.next() % UInt64(bad.count))])
                if !csvSafe, rng.next() % 4 == 0 { value = .string("") }
            case (.name, .valid):
                value = .string(padding[Int(rng.next() % 5)] + solidText(1 + Int(rng.next() % 200), &rng) + padding[Int(rng.next() % 5)])
            case (.name, _):
                value = rng.next() % 2 == 0 && !csvSafe ? .string(" \t\n ") : .string(solidText(201 + Int(rng.next() % 20), &rng))
            case (.budget, .valid):
                value = .number([1, 0.01, 2_500_000, 1e12, Double(1 + rng.next() % 1_000_000_000) / 7][Int(rng.next() % 5)])
            case (.budget, _):
                value = .number([0, -1, 1e12 + 1, 1e300, -0.5][Int(rng.next() % 5)])
            case (.durationDays, _):
                value = integerValue(in: ProjectRecordValidator.durationDaysRange, status: status, &rng)
            case (.crewSize, _):
                value = integerValue(in: ProjectRecordValidator.crewSizeRange, status: status, &rng)
            case (.startDate, _):
                var candidate = date(&rng)
                while candidate.valid != (status == .valid) { candidate = date(&rng) }
                value = .string(candidate.text)
            case (.complexity, .valid):
                let word = ["low", "medium", "high"][Int(rng.next() % 3)]
                let cased = rng.next() % 2 == 0 ? word.uppercased() : word
                value = .string(padding[Int(rng.next() % 5)] + cased + padding[Int(rng.next() % 5)])
            case (.complexity, _):
                value = .string(["extreme", "lowish", "l o w", "mid"][Int(rng.next() % 4)])
            case (.region, .valid):
                value = .string(padding[Int(rng.next() % 5)] + solidText(Int(rng.next() % 101), &rng))
                if csvSafe, case .string("")? = value { value = .string("North") }
            case (.region, _):
                value = .string(solidText(101 + Int(rng.next() % 50), &rng))
            }
            generated.statuses[field] = status
            if let value { generated.fields[field.rawValue] = value }
        }
        if !csvSafe, rng.next() % 4 == 0 {
            let count = rng.next() % 8 == 0 ? 25 : 1 + Int(rng.next() % 3)
            for index in 0..<count {
                let key = index == 0 && rng.next() % 2 == 0 ? String(repeating: "k", count: 100) : "extra_\(rng.next() % 1_000)"
                if generated.fields[key] == nil {
                    generated.fields[key] = .string("?")
                    generated.unknown.append(key)
                }
            }
        }
        return generated
    }

    // MARK: - JSON rendering (random but valid spelling)

    static func escaped(_ text: String, _ rng: inout SplitMix64) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += rng.next() % 2 == 0 ? "\\t" : "\\u0009"
            case "/": out += rng.next() % 2 == 0 ? "\\/" : "/"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value > 0xFFFF && rng.next() % 2 == 0:
                // As a UTF-16 surrogate pair escape.
                let value = scalar.value - 0x1_0000
                out += String(format: "\\u%04X\\u%04x", 0xD800 + (value >> 10), 0xDC00 + (value & 0x3FF))
            case _ where rng.next() % 8 == 0 && scalar.value <= 0xFFFF: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static let jsonSpace = ["", "", " ", "\n", "\t", "\r\n  "]

    static func render(_ value: SampleJSONValue, _ rng: inout SplitMix64) -> String {
        func space(_ rng: inout SplitMix64) -> String { jsonSpace[Int(rng.next() % UInt64(jsonSpace.count))] }
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                return rng.next() % 3 == 0 ? "\(Int(number)).0" : "\(Int(number))"
            }
            return "\(number)"
        case .string(let text): return escaped(text, &rng)
        case .array(let items):
            return "[" + space(&rng) + items.map { render($0, &rng) }.joined(separator: "," + space(&rng)) + space(&rng) + "]"
        case .object(let members):
            var keys = Array(members.keys).sorted()
            keys.shuffle(using: &rng)
            let body = keys.map { key -> String in
                let item = members[key] ?? .null
                return space(&rng) + escaped(key, &rng) + space(&rng) + ":" + space(&rng) + render(item, &rng) + space(&rng)
            }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    // MARK: - Invariants of a valid record

    static func checkInvariants(_ record: ProjectRecord, _ label: String) {
        #expect((1...64).contains(record.projectID.utf8.count), "\(label)")
        #expect(record.projectID.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 95 || byte == 45
        }, "\(label)")
        #expect((1...200).contains(record.name.count), "\(label)")
        #expect(record.name.trimmingCharacters(in: .whitespacesAndNewlines) == record.name, "\(label)")
        #expect(record.budget > 0 && record.budget <= ProjectRecordValidator.maxBudget, "\(label)")
        #expect(ProjectRecordValidator.durationDaysRange.contains(record.durationDays), "\(label)")
        #expect(ProjectRecordValidator.crewSizeRange.contains(record.crewSize), "\(label)")
        if let date = record.startDate {
            #expect(ProjectRecordValidator.startYearRange.contains(date.year), "\(label)")
            #expect(CalendarDate.parse(date.description) == .success(date), "\(label)")
        }
        if let region = record.region { #expect(!region.isEmpty && region.count <= 100, "\(label)") }
    }

    /// The validator's verdict on `generated` is the reference's: the same problem fields in the
    /// same order, reasons that name the wrong type, or a valid record holding the generated values.
    static func checkVerdict(_ verdict: RecordValidation, _ generated: Generated, _ label: String) {
        let fields = verdict.problems.map(\.field)
        let expected = generated.expectedProblemFields.map { ProjectRecordValidator.shortened($0) }
        #expect(fields == expected, "\(label): \(verdict.problems) for \(generated.fields)")
        for problem in verdict.problems {
            #expect(!problem.reason.isEmpty, "\(label)")
            guard let field = ProjectField(rawValue: problem.field), let value = generated.fields[field.rawValue] else { continue }
            if generated.statuses[field] == .wrongType {
                #expect(problem.reason.hasSuffix("(got \(value.typeName))"), "\(label): \(problem)")
            }
        }
        for field in ProjectField.allCases where field.isRequired && [.absent, .null].contains(generated.statuses[field]) {
            #expect(verdict.problems.contains(RecordProblem(field: field.rawValue, reason: "is required")), "\(label)")
        }
        guard let record = verdict.record else { return }
        checkInvariants(record, label)
        func string(_ field: ProjectField) -> String? {
            if case .string(let text)? = generated.fields[field.rawValue] { return text }
            return nil
        }
        func number(_ field: ProjectField) -> Double? {
            if case .number(let value)? = generated.fields[field.rawValue] { return value }
            return nil
        }
        #expect(record.projectID == string(.projectID), "\(label)")
        #expect(record.name == string(.name)?.trimmingCharacters(in: .whitespacesAndNewlines), "\(label)")
        #expect(record.budget == number(.budget), "\(label)")
        #expect(Double(record.durationDays) == number(.durationDays) && Double(record.crewSize) == number(.crewSize), "\(label)")
        #expect(record.startDate?.description == string(.startDate), "\(label)")
        let complexity = string(.complexity)?.trimmingCharacters(in: .whitespaces).lowercased() ?? "medium"
        #expect(record.complexity.rawValue == complexity, "\(label)")
        let region = string(.region)?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(record.region == (region?.isEmpty == true ? nil : region), "\(label)")
    }

    // MARK: - JSON bodies

    @Test func generatedJSONRecordsAreJudgedAsTheReferenceSays() throws {
        var rng = SplitMix64(seed: 0x5A4_0001)
        var valid = 0
        for round in 0..<800 {
            let generated = Self.record(csvSafe: false, &rng)
            let body = Self.render(.object(generated.fields), &rng)
            let parsed = SampleJSONValue.parseObject(Array(body.utf8))
            #expect(parsed == .success(generated.fields), "round \(round): \(body)")
            guard case .success(let object) = parsed else { continue }
            let verdict = ProjectRecordValidator.validate(object)
            if verdict.record != nil { valid += 1 }
            Self.checkVerdict(verdict, generated, "round \(round)")
        }
        #expect(valid > 10, "the generator must also produce valid records")
    }

    @Test func nestingIsLimitedAndNonObjectsNamed() {
        var rng = SplitMix64(seed: 0x5A4_0002)
        for round in 0..<400 {
            let depth = 1 + Int(rng.next() % 14)
            var value = SampleJSONValue.string("[{\"}]")
            for level in 1...depth { value = level % 2 == 0 ? .array([value]) : .object(["k\(level)": value]) }
            let body = Self.render(value, &rng)
            let parsed = SampleJSONValue.parseObject(Array(body.utf8))
            if depth > SampleJSONValue.maxNestingDepth {
                #expect(parsed == .failure(.tooDeep(limit: SampleJSONValue.maxNestingDepth)), "round \(round): depth \(depth)")
            } else if case .object(let members) = value {
                #expect(parsed == .success(members), "round \(round): depth \(depth)")
            } else {
                #expect(parsed == .failure(.notAnObject(found: "array")), "round \(round): depth \(depth)")
            }
        }
        for scalar: SampleJSONValue in [.null, .bool(true), .number(3), .string("x")] {
            let parsed = SampleJSONValue.parseObject(Array(Self.render(scalar, &rng).utf8))
            // Top-level scalars are valid JSON; a decoder that refuses fragments says "not JSON".
            #expect(parsed == .failure(.notAnObject(found: scalar.typeName)) || parsed == .failure(.notJSON), "\(scalar)")
        }
    }

    /// Depth of arrays/objects in a decoded value.
    static func depth(_ value: SampleJSONValue) -> Int {
        switch value {
        case .array(let items): return 1 + (items.map(depth).max() ?? 0)
        case .object(let members): return 1 + (members.values.map(depth).max() ?? 0)
        default: return 0
        }
    }

    static let jsonInsertions = [
        "{", "}", "[", "]", "\"", "\\", ",", ":", " ", "\u{0}", "\u{1F}", "é", "😀", "\\u", "\\ud800", "1e999", "-", "null",
        String(repeating: "[", count: 40), String(repeating: "{\"a\":", count: 30), String(repeating: "9", count: 400),
    ]

    static func mutate(_ input: [UInt8], insertions: [String], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 5 {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            case 1 where !bytes.isEmpty: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 2 where !bytes.isEmpty: bytes.remove(at: at)
            case 3: bytes.insert(contentsOf: Array(insertions[Int(rng.next() % UInt64(insertions.count))].utf8), at: at)
            default: bytes.removeLast(Int(rng.next() % UInt64(bytes.count + 1)))
            }
        }
        return bytes
    }

    /// Whatever the bytes, the answer is one of the documented outcomes, and an accepted body
    /// respects the nesting limit and validates to a record that keeps every rule.
    static func checkBody(_ bytes: [UInt8], _ label: String) {
        let parsed = SampleJSONValue.parseObject(bytes)
        let blank = bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        #expect((parsed == .failure(.empty)) == blank, "\(label)")
        switch parsed {
        case .success(let object):
            #expect(depth(.object(object)) <= SampleJSONValue.maxNestingDepth, "\(label)")
            switch ProjectRecordValidator.validate(object) {
            case .valid(let record): checkInvariants(record, label)
            case .invalid(let problems):
                #expect(!problems.isEmpty, "\(label)")
                let known = Set(ProjectField.allCases.map(\.rawValue) + ["(record)"])
                for problem in problems {
                    #expect(known.contains(problem.field) || object[problem.field] != nil || problem.field.hasSuffix("..."), "\(label): \(problem)")
                    #expect(problem.field.count <= 67, "\(label)")
                }
            }
        case .failure(.notAnObject(let found)):
            #expect(["null", "boolean", "number", "string", "array"].contains(found), "\(label)")
        case .failure(.tooDeep(let limit)):
            #expect(limit == SampleJSONValue.maxNestingDepth, "\(label)")
        case .failure(.empty), .failure(.notJSON):
            break
        }
    }

    @Test func mutatedJSONBodies() {
        var rng = SplitMix64(seed: 0x5A4_0003)
        for round in 0..<800 {
            let body = Array(Self.render(.object(Self.record(csvSafe: false, &rng).fields), &rng).utf8)
            Self.checkBody(Self.mutate(body, insertions: Self.jsonInsertions, &rng), "mutated \(round)")
        }
        let valid = Array(#"{"project_id":"P-1","name":"Bridge","budget":2500000,"duration_days":300,"crew_size":40,"start_date":"2024-02-29"}"#.utf8)
        for length in 0...valid.count { Self.checkBody(Array(valid[..<length]), "prefix \(length)") }
    }

    @Test func randomJSONBytes() {
        var rng = SplitMix64(seed: 0x5A4_0004)
        let alphabet = Array("{}[]\":,0123456789.-+eE truefalsnl\\u\n".utf8)
        for round in 0..<1_500 {
            let fromAlphabet = rng.next() % 2 == 0
            let bytes = (0..<Int(rng.next() % 80)).map { _ -> UInt8 in
                fromAlphabet ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            Self.checkBody(bytes, "random \(round)")
        }
    }

    // MARK: - CSV

    /// RFC 4180 spelling of one field: quoted when it has to be, and sometimes when not.
    static func csvField(_ text: String, alone: Bool, _ rng: inout SplitMix64) -> String {
        let mustQuote = text.utf8.contains { [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0D, 0x0A].contains($0) } || (alone && text.isEmpty)
        guard mustQuote || rng.next() % 6 == 0 else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let lineBreaks = ["\n", "\r\n", "\r"]

    /// Physical line breaks: LF, CRLF and a lone CR each end one line.
    static func lineBreakCount(_ bytes: some Collection<UInt8>) -> Int {
        var count = 0
        var afterCR = false
        for byte in bytes {
            if byte == 0x0D || (byte == 0x0A && !afterCR) { count += 1 }
            afterCR = byte == 0x0D
        }
        return count
    }

    /// Renders rows as CSV and returns, for each row, the physical line it starts on (counted in
    /// the finished text, so a CR followed by the LF of a blank line counts once, as it reads).
    static func csv(_ rows: [[String]], _ rng: inout SplitMix64) -> (text: String, lines: [Int]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for (index, row) in rows.enumerated() {
            while rng.next() % 8 == 0 {  // blank lines are skipped but counted
                bytes += Array(lineBreaks[Int(rng.next() % 3)].utf8)
            }
            starts.append(bytes.count)
            bytes += Array(row.map { csvField($0, alone: row.count == 1, &rng) }.joined(separator: ",").utf8)
            if index < rows.count - 1 || rng.next() % 2 == 0 {
                bytes += Array(lineBreaks[Int(rng.next() % 3)].utf8)
            }
        }
        return (String(decoding: bytes, as: UTF8.self), starts.map { 1 + lineBreakCount(bytes[..<$0]) })
    }

    @Test func csvTablesReadBackFieldForField() throws {
        var rng = SplitMix64(seed: 0x5A4_0005)
        let cells = ["", " ", "a", "a,b", "say \"hi\"", "\"", "line\nbreak", "cr\rlf\r\nx", "é", "😀", "  padded  ", "\t"]
        for round in 0..<1_000 {
            let rows = (0..<(1 + Int(rng.next() % 6))).map { _ in
                (0..<(1 + Int(rng.next() % 5))).map { _ in cells[Int(rng.next() % UInt64(cells.count))] }
            }
            let (text, lines) = Self.csv(rows, &rng)
            let records = try SampleCSVReader.records(in: Array(text.utf8), maxRecords: 100).get()
            #expect(records.map(\.fields) == rows, "round \(round): \(text.debugDescription)")
            #expect(records.map(\.line) == lines, "round \(round): \(text.debugDescription)")
            // The record limit is exact.
            let limit = Int(rng.next() % 7)
            let limited = SampleCSVReader.records(in: Array(text.utf8), maxRecords: limit)
            #expect(limited == (rows.count > limit ? .failure(.tooManyRecords(limit: limit)) : .success(records)), "round \(round)")
        }
    }

    static let header = ProjectField.allCases.map(\.rawValue)

    /// The cell for a generated field: empty for absent or null, else the value's text.
    static func cell(_ value: SampleJSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .number(let number)?: return "\(number)"
        default: return ""
        }
    }

    /// `POST /score` and `POST /upload` refuse exactly the same records with the same reasons.
    @Test func csvRowsAreJudgedLikeTheSameJSONRecords() throws {
        var rng = SplitMix64(seed: 0x5A4_0006)
        var judged = (valid: 0, invalid: 0)
        for round in 0..<150 {
            var columns = Self.header
            columns.shuffle(using: &rng)
            let records = (0..<(1 + Int(rng.next() % 6))).map { _ in Self.record(csvSafe: true, &rng) }
            let rows = [columns.map { rng.next() % 3 == 0 ? $0.uppercased() : $0 }]
                + records.map { generated in columns.map { Self.cell(generated.fields[$0]) } }
            let (text, lines) = Self.csv(rows, &rng)
            let bom = rng.next() % 4 == 0 ? "\u{FEFF}" : ""
            let report = try CSVUploadValidator.validate(bytes: Array((bom + text).utf8)).get()
            var expectedRows: [CSVRowReport] = []
            for (index, generated) in records.enumerated() {
                let verdict = ProjectRecordValidator.validate(generated.fields)
                Self.checkVerdict(verdict, generated, "round \(round) row \(index + 1)")
                if !verdict.problems.isEmpty {
                    expectedRows.append(CSVRowReport(row: index + 1, line: lines[index + 1], errors: verdict.problems))
                }
            }
            #expect(report.rows == expectedRows, "round \(round): \(text.debugDescription)")
            #expect(report.valid + report.invalid == records.count && report.invalid == expectedRows.count, "round \(round)")
            #expect(!report.rowsTruncated, "round \(round)")
            judged.valid += report.valid
            judged.invalid += report.invalid
        }
        #expect(judged.valid > 10 && judged.invalid > 100, "both verdicts must be exercised: \(judged)")
    }

    static let csvInsertions = [",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\u{0}", "é", "😀", "\u{FEFF}", String(repeating: ",", count: 100), String(repeating: "\n", count: 50), String(repeating: "\"", count: 31)]

    /// Whatever the bytes, the upload is judged or refused with a documented error whose line
    /// exists, the counts add up, and the report's rows are in order.
    @discardableResult
    static func checkUpload(_ bytes: [UInt8], _ label: String) -> Result<CSVUploadReport, CSVUploadError> {
        let result = CSVUploadValidator.validate(bytes: bytes)
        let isUTF8 = String(validating: bytes, as: UTF8.self) != nil
        #expect((result == .failure(.notUTF8)) == !isUTF8, "\(label)")
        guard isUTF8 else { return result }
        // The text entry point and a leading byte-order mark change nothing.
        #expect(CSVUploadValidator.validate(String(decoding: bytes, as: UTF8.self)) == result, "\(label)")
        if !bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            #expect(CSVUploadValidator.validate(bytes: [0xEF, 0xBB, 0xBF] + bytes) == result, "\(label)")
        }
        let physicalLines = 1 + Self.lineBreakCount(bytes)
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        // There is a header unless the text (after a byte-order mark) is nothing but line breaks.
        #expect((result == .failure(.missingHeader)) == body.allSatisfy { $0 == 0x0A || $0 == 0x0D }, "\(label)")
        switch result {
        case .success(let report):
            #expect(report.rows.count == min(report.invalid, CSVUploadValidator.maxReportedRows), "\(label)")
            #expect(report.rowsTruncated == (report.invalid > report.rows.count), "\(label)")
            #expect(report.valid + report.invalid <= CSVUploadValidator.maxDataRows, "\(label)")
            #expect(zip(report.rows, report.rows.dropFirst()).allSatisfy { $0.row < $1.row && $0.line < $1.line }, "\(label)")
            for row in report.rows {
                #expect((1...(report.valid + report.invalid)).contains(row.row) && (2...physicalLines).contains(row.line), "\(label)")
                #expect(!row.errors.isEmpty, "\(label)")
            }
        case .failure(.unterminatedQuote(let line)), .failure(.strayQuote(let line)):
            #expect((1...physicalLines).contains(line), "\(label): line \(line) of \(physicalLines)")
        case .failure(.missingColumns(let names)):
            #expect(!names.isEmpty && names.allSatisfy { ProjectField(rawValue: $0)?.isRequired == true }, "\(label)")
        case .failure(.unknownColumns(let names)):
            #expect((1...ProjectRecordValidator.maxUnknownFieldsReported).contains(names.count), "\(label)")
        case .failure(.duplicateColumn(let name)):
            #expect(name.count <= 67, "\(label)")
        case .failure(.missingHeader):
            break
        case .failure(.tooManyRows(let limit)):
            #expect(limit == CSVUploadValidator.maxDataRows, "\(label)")
        case .failure(.notUTF8):
            Issue.record("\(label): valid UTF-8 refused")
        }
        return result
    }

    @Test func mutatedAndRandomUploads() {
        var rng = SplitMix64(seed: 0x5A4_0007)
        var judged = 0
        for round in 0..<300 {
            let records = (0..<(1 + Int(rng.next() % 4))).map { _ in Self.record(csvSafe: true, &rng) }
            let rows = [Self.header] + records.map { generated in Self.header.map { Self.cell(generated.fields[$0]) } }
            let text = Array(Self.csv(rows, &rng).text.utf8)
            if case .success = Self.checkUpload(Self.mutate(text, insertions: Self.csvInsertions, &rng), "mutated \(round)") { judged += 1 }
        }
        // Both kinds of answer must occur: uploads judged row by row, and uploads refused whole.
        #expect(judged > 40 && judged < 290, "\(judged) of 300 mutated uploads judged row by row")
        let alphabet = Array("ab,\"\r\n project_id,name,budget".utf8)
        for round in 0..<400 {
            let fromAlphabet = rng.next() % 2 == 0
            let bytes = (0..<Int(rng.next() % 120)).map { _ -> UInt8 in
                fromAlphabet ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            Self.checkUpload(bytes, "random \(round)")
        }
        let valid = Array("project_id,name,budget,duration_days,crew_size\r\nP-1,\"Bridge, north\",2500000,300,40\r\nP-2,Tunnel,1e6,10,5\r\n".utf8)
        for length in 0...valid.count { Self.checkUpload(Array(valid[..<length]), "prefix \(length)") }
    }

    /// Dates: exactly `YYYY-MM-DD`, and a real day, checked against Foundation's calendar for
    /// years it treats as Gregorian; a parsed date prints back to the same text.
    @Test func calendarDatesAgreeWithFoundation() {
        var rng = SplitMix64(seed: 0x5A4_0008)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        var outcomes = (real: 0, unreal: 0)
        for round in 0..<2_000 {
            let year = 1600 + Int(rng.next() % 8_400)
            let month = Int(rng.next() % 14)
            let day = Int(rng.next() % 33)
            func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
            let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
            var components = DateComponents(year: year, month: month, day: day)
            components.calendar = calendar
            let exists = (1...12).contains(month) && day >= 1 && components.isValidDate
            switch CalendarDate.parse(text) {
            case .success(let date):
                outcomes.real += 1
                #expect(exists && date.description == text, "round \(round): \(text)")
            case .failure(.notARealDate):
                outcomes.unreal += 1
                #expect(!exists, "round \(round): \(text)")
            case .failure(.format): Issue.record("round \(round): \(text) is well formed")
            }
            let mutated = String(decoding: Self.mutate(Array(text.utf8), insertions: ["-", "0", " ", "T", "é"], &rng), as: UTF8.self)
            if case .success(let date) = CalendarDate.parse(mutated) { #expect(date.description == mutated, "round \(round): \(mutated)") }
        }
        #expect(outcomes.real > 500 && outcomes.unreal > 200, "\(outcomes)")
    }
}
