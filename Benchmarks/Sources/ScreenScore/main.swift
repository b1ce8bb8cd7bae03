// Scores the injection screener on a labelled JSONL corpus and measures throughput.
// Usage: screen-score [corpus.jsonl] [--show-misses CLASS|benign] [--runs N] [--mb N] [--no-throughput]
import BulwarkSecurity
import Foundation

struct Record {
    let input: String
    let label: String
    let source: String
}

func defaultCorpus() -> String {
    if let dir = ProcessInfo.processInfo.environment["BULWARK_CORPORA"] {
        return dir + "/injection-dev.jsonl"
    }
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    for _ in 0..<8 {
        let candidate = url.appendingPathComponent("shared/corpora/injection-dev.jsonl")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
        url = url.deletingLastPathComponent()
    }
    return "/work/shared/corpora/injection-dev.jsonl"
}

var args = Array(CommandLine.arguments.dropFirst())
var path = defaultCorpus()
var showMisses: String? = nil
var runs = 5
var targetMB = 50.0
var throughput = true
var i = 0
while i < args.count {
    switch args[i] {
    case "--show-misses": i += 1; showMisses = i < args.count ? args[i] : nil
    case "--runs": i += 1; runs = i < args.count ? (Int(args[i]) ?? 5) : 5
    case "--mb": i += 1; targetMB = i < args.count ? (Double(args[i]) ?? 50) : 50
    case "--no-throughput": throughput = false
    default: path = args[i]
    }
    i += 1
}

guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
    print("cannot read \(path)")
    exit(1)
}
var records: [Record] = []
for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
    guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let input = obj["input"] as? String, let label = obj["label"] as? String else { continue }
    records.append(Record(input: input, label: label, source: obj["source"] as? String ?? "?"))
}

let screener = InjectionScreener()
var total: [String: Int] = [:], detected: [String: Int] = [:], correct: [String: Int] = [:]
var srcTotal: [String: Int] = [:], srcFP: [String: Int] = [:]
var capped = 0
for r in records {
    let v = screener.screen(r.input)
    total[r.label, default: 0] += 1
    if v.limitExceeded != nil { capped += 1 }
    if r.label == "benign" {
        var src = r.source
        if src.hasPrefix("generated:benign_gen/") { src = "gen/" + src.dropFirst("generated:benign_gen/".count) }
        else if let colon = src.firstIndex(of: ":") , !src.hasPrefix("debian") { src = String(src[..<colon]) }
        else if src.hasPrefix("debian") { src = "debian:fortunes" }
        srcTotal[src, default: 0] += 1
        if v.flagged { srcFP[src, default: 0] += 1; detected["benign", default: 0] += 1 }
        if v.flagged && showMisses == "benign" {
            print("FP [\(v.injectionClass?.rawValue ?? "-")] \(v.reason) :: \(r.input.prefix(200).debugDescription) (\(src))")
        }
    } else {
        if v.flagged { detected[r.label, default: 0] += 1 }
        if v.injectionClass?.rawValue == r.label { correct[r.label, default: 0] += 1 }
        if showMisses == r.label && !v.flagged {
            print("MISS \(r.input.prefix(200).debugDescription) (\(r.source.suffix(40)))")
        }
        if showMisses == "wrong-" + r.label && v.flagged && v.injectionClass?.rawValue != r.label {
            print("WRONG as \(v.injectionClass?.rawValue ?? "-") [\(v.reason)] \(r.input.prefix(160).debugDescription)")
        }
    }
}

func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "n/a" : String(format: "%6.2f%%", 100.0 * Double(a) / Double(b)) }
print("corpus: \(path) (\(records.count) records)")
print("class      n      detected   class-correct")
var detSum = 0.0
for c in ["sqli", "xss", "cmdi", "traversal"] {
    let n = total[c] ?? 0
    detSum += n == 0 ? 0 : Double(detected[c] ?? 0) / Double(n)
    print(c.padding(toLength: 9, withPad: " ", startingAt: 0), String(format: "%5d", n), "  ", pct(detected[c] ?? 0, n), "  ", pct(correct[c] ?? 0, n))
}
let benignN = total["benign"] ?? 0
print("benign FP: \(detected["benign"] ?? 0)/\(benignN) = \(pct(detected["benign"] ?? 0, benignN))   mean detection \(String(format: "%.2f%%", detSum * 25))")
print("inputs that hit a limit: \(capped)")
print("FP by source:")
for (src, n) in srcTotal.sorted(by: { ($0.value > 0 ? Double(srcFP[$0.key] ?? 0) / Double($0.value) : 0) > ($1.value > 0 ? Double(srcFP[$1.key] ?? 0) / Double($1.value) : 0) }) {
    print("  ", src.padding(toLength: 40, withPad: " ", startingAt: 0), "\(srcFP[src] ?? 0)/\(n)", pct(srcFP[src] ?? 0, n))
}

if throughput {
    // One contiguous buffer of all inputs, repeated until >= targetMB.
    var blob: [UInt8] = []
    var offsets: [Int] = [0]
    let target = Int(targetMB * 1_000_000)
    while blob.count < target {
        for r in records {
            blob.append(contentsOf: r.input.utf8)
            offsets.append(blob.count)
        }
    }
    var rates: [Double] = []
    var sink = 0
    blob.withUnsafeBytes { raw in
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let start = clock.now
            for k in 0..<(offsets.count - 1) {
                let v = screener.screen(utf8: UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]]))
                if v.flagged { sink &+= 1 }
            }
            let d = clock.now - start
            let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            rates.append(Double(blob.count) / 1_000_000 / secs)
        }
    }
    rates.sort()
    print(String(format: "throughput: %.1f MB/s median of %d runs over %.1f MB (min %.1f, max %.1f) [flagged %d]",
                 rates[rates.count / 2], runs, Double(blob.count) / 1e6, rates.first ?? 0, rates.last ?? 0, sink))
}
