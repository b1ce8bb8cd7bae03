import Foundation
import Testing
@testable import BulwarkSecurity

/// Scores the screener on the dev corpus and asserts the achieved rates (rounded down).
@Suite("Dev corpus")
struct InjectionCorpusTests {
    static func corpusPath() -> String? {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["BULWARK_CORPORA"] {
            let p = dir + "/injection-dev.jsonl"
            return fm.fileExists(atPath: p) ? p : nil
        }
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<10 {
            let candidate = url.appendingPathComponent("shared/corpora/injection-dev.jsonl")
            if fm.fileExists(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    @Test func ratesOnDevCorpus() throws {
        guard let path = Self.corpusPath() else {
            Issue.record("dev corpus not found (set BULWARK_CORPORA)")
            return
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let screener = InjectionScreener()
        var total: [String: Int] = [:], hit: [String: Int] = [:], correct: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let input = obj["input"] as? String, let label = obj["label"] as? String else { continue }
            let v = screener.screen(input)
            total[label, default: 0] += 1
            if v.flagged { hit[label, default: 0] += 1 }
            if v.injectionClass?.rawValue == label { correct[label, default: 0] += 1 }
        }
        func rate(_ c: String) -> Double { Double(hit[c] ?? 0) / Double(max(1, total[c] ?? 0)) }
        #expect(total.values.reduce(0, +) > 10_000)
        // Floors: what the current build achieves on the dev corpus, rounded down to whole percent.
        #expect(rate("sqli") >= CorpusFloors.sqli)
        #expect(rate("xss") >= CorpusFloors.xss)
        #expect(rate("cmdi") >= CorpusFloors.cmdi)
        #expect(rate("traversal") >= CorpusFloors.traversal)
        #expect(rate("benign") <= 0.005)
    }
}

enum CorpusFloors {
    static let sqli = 0.97
    static let xss = 0.97
    static let cmdi = 0.96
    static let traversal = 0.99
}
