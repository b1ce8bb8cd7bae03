import BulwarkSecurity
import BulwarkTesting
import Foundation
import Testing

@testable import BulwarkHTTP

@Suite("BodyScreening")
struct BodyScreeningTests {
    private let screening = BodyScreening(RequestScreening(classes: Set(InjectionClass.allCases)))

    private func screen(_ body: String, _ grammar: BodyScreening.Grammar) -> RequestScreening.Hit? {
        var body = body
        return body.withUTF8 { screening.screen(body: UnsafeRawBufferPointer($0), grammar: grammar) }
    }

    @Test(arguments: [
        ("application/json", BodyScreening.Grammar.json), ("application/json; charset=utf-8", .json),
        ("Application/JSON", .json), ("application/problem+json", .json), (" application/x-www-form-urlencoded ;q=1", .form),
    ])
    func grammarsFollowTheMediaType(contentType: String, grammar: BodyScreening.Grammar) {
        #expect(BodyScreening.grammar(contentType: contentType) == grammar)
    }

    @Test(arguments: ["text/plain", "multipart/form-data; boundary=x", "application/octet-stream", "application/jsonx", ""])
    func otherMediaTypesAreNotScreened(contentType: String) {
        #expect(BodyScreening.grammar(contentType: contentType) == nil)
    }

    @Test func formFieldsAreJudgedOneByOneAndDecoded() throws {
        #expect(screen("name=Ada+Lovelace&comment=select+the+best+one&age=36", .form) == nil)
        let hit = try #require(screen("name=x&q=1%27+UNION+SELECT+password+FROM+users--", .form))
        #expect(hit.injectionClass == .sqli)
        #expect(hit.location == "body:q")
        #expect(screen("file=..%2F..%2F..%2Fetc%2Fpasswd", .form)?.injectionClass == .traversal)
    }

    @Test func jsonStringsAreJudgedWithTheirKeyAsLocation() throws {
        #expect(screen(#"{"name":"Ada","notes":["select the drop-down","delete old rows"],"n":3,"ok":true,"x":null}"#, .json) == nil)
        let hit = try #require(screen(#"{"user":{"bio":"<script>alert(document.cookie)</script>"}}"#, .json))
        #expect(hit.injectionClass == .xss)
        #expect(hit.location == "body:bio")
        // Escapes do not hide a payload: the screener decodes them.
        #expect(screen(#"{"bio":"\u003cscript\u003ealert(1)\u003c/script\u003e"}"#, .json)?.injectionClass == .xss)
        #expect(screen(#"{"cmd":"; cat /etc/passwd"}"#, .json)?.injectionClass == .cmdi)
    }

    @Test func jsonEscapesResolveAsAParserWould() {
        let raw = #"a\"b\\c\/d\n\u00e9\ud83d\ude00\uZZZZ\ud800x"#
        var out: [UInt8] = []
        Array(raw.utf8).withUnsafeBytes { JSONStringScanner.unescape($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "a\"b\\c/d\n\u{e9}\u{1F600}\\uZZZZ\u{FFFD}x")
    }

    @Test func aBodyThatIsNotJSONIsJudgedWhole() throws {
        let hit = try #require(screen("1 UNION SELECT password FROM users--", .json))
        #expect(hit.injectionClass == .sqli)
        #expect(hit.location == "body")
        #expect(screen(#"{"unterminated": "abc"#, .json) == nil, "a benign malformed body is still only judged")
    }

    /// Attacks and benign inputs from the dev corpus, sent as a JSON field and as a form field,
    /// are judged as they are in a query parameter.
    @Test func corpusInputsInBodiesKeepTheScreenersRates() throws {
        guard let path = Self.corpusPath() else {
            Issue.record("dev corpus not found")
            return
        }
        var attacks = 0, caughtJSON = 0, caughtForm = 0, benign = 0, flaggedBenign = 0
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                let input = object["input"], let label = object["label"]
            else { continue }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: ["field": input]), as: UTF8.self)
            let form = "field=" + (input.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            let jsonHit = screen(json, .json) != nil
            if label == "benign" {
                benign += 1
                if jsonHit { flaggedBenign += 1 }
            } else {
                attacks += 1
                if jsonHit { caughtJSON += 1 }
                if screen(form, .form) != nil { caughtForm += 1 }
            }
        }
        #expect(attacks > 1000 && benign > 1000)
        #expect(Double(caughtJSON) / Double(attacks) >= 0.95)
        #expect(Double(caughtForm) / Double(attacks) >= 0.95)
        #expect(Double(flaggedBenign) / Double(benign) <= 0.005)
    }

    /// Random and mutated bodies: the scanner always ends, never reads out of bounds.
    @Test func fuzzedBodiesNeverTrapOrHang() {
        var random = SplitMix64(seed: 11)
        let seeds = [#"{"a":["b",{"c":"d\"e"}],"f":-1.5e3,"g":true}"#, "a=1&b=%41&c", #"["\\", "\u0000"]"#]
        for round in 0..<20_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<Int(random.next() % 6) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                let byte = UInt8(truncatingIfNeeded: random.next())
                switch random.next() % 3 {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: if position < bytes.count { bytes[position] = byte }
                }
            }
            bytes.withUnsafeBytes { raw in
                _ = screening.screen(body: raw, grammar: .json)
                _ = screening.screen(body: raw, grammar: .form)
            }
        }
    }

    static func corpusPath() -> String? {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<10 {
            let candidate = url.appendingPathComponent("shared/corpora/injection-dev.jsonl")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }
}
