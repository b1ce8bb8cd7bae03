import BulwarkSecurity
import Foundation

// Usage: secrets-score [corpus.jsonl] [--show-misses] [--show-fps] [--kind K] [--no-speed]
var args = Array(CommandLine.arguments.dropFirst())
let showMisses = args.contains("--show-misses")
let showFPs = args.contains("--show-fps")
let noSpeed = args.contains("--no-speed")
let showChanged = args.contains("--show-changed")
var kindFilter: String?
if let k = args.firstIndex(of: "--kind"), k + 1 < args.count { kindFilter = args[k + 1]; args.remove(at: k + 1) }
let positional = args.filter { !$0.hasPrefix("--") }
let path = positional.first ?? "/work/shared/corpora/secrets-dev.jsonl"

let records: [CorpusRecord]
do { records = try CorpusLoader.load(path: path) } catch {
    print("cannot read \(path): \(error)")
    exit(1)
}

let scanner = SecretScanner()
let labelRedactor = SecretRedactor(scanner: scanner, style: .label)
let sameRedactor = SecretRedactor(scanner: scanner, style: .sameLength)

struct Tally { var total = 0, line = 0, value = 0 }
var perKind: [String: Tally] = [:]
var overall = Tally()
var totalLines = 0, fpLines = 0, negRecords = 0, negFlagged = 0
var leaks = 0, leaksSame = 0, nonSecretChars = 0, preservedChars = 0, changedRecordsLabel = 0
var fpByKind: [String: Int] = [:]

func lineOf(_ scalars: [Unicode.Scalar], _ idx: Int, _ lineStarts: [Int]) -> Int {
    var lo = 0, hi = lineStarts.count - 1
    while lo < hi { let mid = (lo + hi + 1) / 2; if lineStarts[mid] <= idx { lo = mid } else { hi = mid - 1 } }
    return lo + 1
}

for (ri, rec) in records.enumerated() {
    let scalars = Array(rec.text.unicodeScalars)
    var lineStarts = [0]
    for (i, s) in scalars.enumerated() where s == "\n" { lineStarts.append(i + 1) }
    // README denominator (8,866 on dev): `split("\n")` pieces, not counting the empty piece
    // after a final newline.
    totalLines += lineStarts.count - (rec.text.hasSuffix("\n") ? 1 : 0)
    let findings = scanner.scan(rec.text)
    func lines(_ a: Int, _ b: Int) -> ClosedRange<Int> {
        lineOf(scalars, a, lineStarts)...lineOf(scalars, max(a, b - 1), lineStarts)
    }
    var covered = Set<Int>()
    for s in rec.spans { for l in lines(s.start, s.end) { covered.insert(l) } }
    var findingLines = Set<Int>()
    for f in findings { for l in lines(f.scalarRange.lowerBound, f.scalarRange.upperBound) { findingLines.insert(l) } }
    for s in rec.spans {
        if let kf = kindFilter, kf != s.kind { continue }
        let sl = lines(s.start, s.end)
        let lineHit = findings.contains { lines($0.scalarRange.lowerBound, $0.scalarRange.upperBound).overlaps(sl) }
        let valueHit = findings.contains { $0.scalarRange.overlaps(s.start..<s.end) }
        var t = perKind[s.kind, default: Tally()]
        t.total += 1; overall.total += 1
        if lineHit { t.line += 1; overall.line += 1 }
        if valueHit { t.value += 1; overall.value += 1 }
        perKind[s.kind] = t
        if showMisses && !valueHit {
            let value = String(String.UnicodeScalarView(scalars[s.start..<s.end]))
            let lineText = rec.text.split(separator: "\n", omittingEmptySubsequences: false)[sl.lowerBound - 1]
            print("MISS[\(ri)] \(s.kind) line-hit=\(lineHit) value=\(value.prefix(60)) | \(lineText.prefix(200))")
        }
    }
    let fpSet = findingLines.subtracting(covered)
    fpLines += fpSet.count
    if rec.spans.isEmpty { negRecords += 1; if !findings.isEmpty { negFlagged += 1 } }
    for f in findings where !covered.contains(f.line) {
        fpByKind[f.kind.rawValue, default: 0] += 1
        if showFPs {
            let lineText = rec.text.split(separator: "\n", omittingEmptySubsequences: false)[f.line - 1]
            let value = String(String.UnicodeScalarView(scalars[f.scalarRange]))
            print("FP[\(ri)] \(f.kind) value=\(value.prefix(60)) | \(lineText.prefix(200))")
        }
    }
    // Redaction.
    let redLabel = labelRedactor.redact(rec.text)
    let redSame = Array(sameRedactor.redact(rec.text).unicodeScalars)
    var inSpan = [Bool](repeating: false, count: scalars.count)
    for s in rec.spans {
        for k in s.start..<min(s.end, scalars.count) { inSpan[k] = true }
        let value = String(String.UnicodeScalarView(scalars[s.start..<s.end]))
        if redLabel.contains(value) { leaks += 1 }
        if String(String.UnicodeScalarView(redSame)).contains(value) { leaksSame += 1 }
    }
    var changedHere = false
    for k in 0..<scalars.count where !inSpan[k] {
        nonSecretChars += 1
        if redSame.count == scalars.count && redSame[k] == scalars[k] { preservedChars += 1 } else { changedHere = true }
    }
    if showChanged && changedHere {
        for f in findings where !rec.spans.contains(where: { $0.start == f.scalarRange.lowerBound && $0.end == f.scalarRange.upperBound }) {
            let value = String(String.UnicodeScalarView(scalars[f.scalarRange]))
            let labeled = rec.spans.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
            print("CHANGED[\(ri)] \(f.kind) found=\(value.prefix(80)) labeled=\(labeled.map { $0.prefix(80) })")
        }
    }
    // Label style: non-secret segments must all appear, in order.
    var cursor = redLabel.startIndex
    var segStart = 0
    var ok = true
    let sortedSpans = rec.spans.sorted { $0.start < $1.start }
    for s in sortedSpans + [CorpusRecord.Span(start: scalars.count, end: scalars.count, kind: "")] {
        if s.start > segStart {
            let seg = String(String.UnicodeScalarView(scalars[segStart..<s.start]))
            if let r = redLabel.range(of: seg, range: cursor..<redLabel.endIndex) { cursor = r.upperBound } else { ok = false }
        }
        segStart = max(segStart, s.end)
    }
    if !ok { changedRecordsLabel += 1 }
}

func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "  n/a" : String(format: "%6.2f%%", 100.0 * Double(a) / Double(b)) }
print("corpus: \(path)  records=\(records.count) lines=\(totalLines) spans=\(overall.total)")
print("kind                          spans   line-recall  value-recall")
for (k, t) in perKind.sorted(by: { $0.key < $1.key }) {
    print(k.padding(toLength: 28, withPad: " ", startingAt: 0), String(format: "%6d", t.total), "   ", pct(t.line, t.total), "   ", pct(t.value, t.total))
}
print("OVERALL".padding(toLength: 28, withPad: " ", startingAt: 0), String(format: "%6d", overall.total), "   ", pct(overall.line, overall.total), "   ", pct(overall.value, overall.total))
print(String(format: "FP per 1000 lines: %.2f  (%d FP lines / %d lines)", Double(fpLines) * 1000 / Double(max(totalLines, 1)), fpLines, totalLines))
print("negative-record FP rate: \(pct(negFlagged, negRecords)) (\(negFlagged)/\(negRecords))")
print("FP findings by reported kind: \(fpByKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
print("redaction exact-leak rate (label style): \(pct(leaks, overall.total)) (\(leaks) spans); same-length style: \(pct(leaksSame, overall.total))")
print("non-secret chars preserved (same-length style): \(pct(preservedChars, nonSecretChars)) (\(preservedChars)/\(nonSecretChars))")
print("records whose non-secret text changed (label style): \(changedRecordsLabel)/\(records.count)")

if !noSpeed {
    var blob: [UInt8] = []
    for r in records { blob.append(contentsOf: r.text.utf8); blob.append(0x0A) }
    let once = blob
    while blob.count < 32 * 1024 * 1024 { blob.append(contentsOf: once) }
    var rates: [Double] = []
    var sink = 0
    for _ in 0..<5 {
        let clock = ContinuousClock()
        let t0 = clock.now
        let f = blob.withUnsafeBufferPointer { scanner.scan(utf8: $0) }
        let d = clock.now - t0
        sink &+= f.count
        let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        rates.append(Double(blob.count) / 1_048_576 / secs)
    }
    rates.sort()
    print(String(format: "throughput: %.1f MB/s median of 5 (%.1f MB buffer, %d findings/run, min %.1f max %.1f)",
                 rates[2], Double(blob.count) / 1_048_576, sink / 5, rates[0], rates[4]))
}
