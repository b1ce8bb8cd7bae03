import BulwarkSecurity
import Foundation

// The Swift side of scripts/bench/security-peers, which runs the same inputs through libinjection
// and detect-secrets (Python). One machine-readable line per section:
//
//   screen  <MB/s median> <bytes> <inputs> <flagged> <limit hits>
//   secrets <MB/s median> <bytes> <findings per run>
//
// MB = 10^6 bytes of UTF-8. Usage:
//   security-peers-swift screen  [--corpus injection-dev.jsonl] [--mb 50] [--runs 5]
//   security-peers-swift secrets [--corpus secrets-dev.jsonl]   [--mb 32] [--runs 5]

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// The string field `field` of every JSONL record, in file order.
func loadField(_ field: String, from path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    var values: [String] = []
    for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let value = object[field] as? String
        {
            values.append(value)
        }
    }
    return values
}

var arguments = Array(CommandLine.arguments.dropFirst())
let section = arguments.isEmpty ? "screen" : arguments.removeFirst()
var corpus: String?
var targetMB: Double?
var runs = 5
var index = 0
while index + 1 < arguments.count {
    switch arguments[index] {
    case "--corpus": corpus = arguments[index + 1]
    case "--mb": targetMB = Double(arguments[index + 1])
    case "--runs": runs = max(1, Int(arguments[index + 1]) ?? 5)
    default: break
    }
    index += 2
}
let clock = ContinuousClock()

switch section {
case "screen":
    // Every input, repeated until the bytes reach the target; each screened on its own.
    let inputs = loadField("input", from: corpus ?? "/work/shared/corpora/injection-dev.jsonl")
    let target = Int((targetMB ?? 50) * 1_000_000)
    var blob: [UInt8] = []
    var offsets: [Int] = [0]
    while blob.count < target {
        for input in inputs {
            blob.append(contentsOf: input.utf8)
            offsets.append(blob.count)
        }
    }
    let screener = InjectionScreener()  // all four classes
    var rates: [Double] = []
    var flagged = 0
    var limitHits = 0
    blob.withUnsafeBytes { raw in
        for _ in 0..<runs {
            flagged = 0
            limitHits = 0
            let start = clock.now
            for k in 0..<(offsets.count - 1) {
                let verdict = screener.screen(utf8: UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]]))
                if verdict.flagged { flagged += 1 }
                if verdict.limitExceeded != nil { limitHits += 1 }
            }
            rates.append(Double(blob.count) / 1e6 / (nanoseconds(start.duration(to: clock.now)) / 1e9))
        }
    }
    print("screen \(median(rates)) \(blob.count) \(offsets.count - 1) \(flagged) \(limitHits)")

case "secrets":
    // The `text` fields, each followed by a newline, repeated until the bytes reach the target;
    // scanned as one buffer.
    let texts = loadField("text", from: corpus ?? "/work/shared/corpora/secrets-dev.jsonl")
    var once: [UInt8] = []
    for text in texts {
        once.append(contentsOf: text.utf8)
        once.append(UInt8(ascii: "\n"))
    }
    let target = Int((targetMB ?? 32) * 1_000_000)
    var blob = once
    while blob.count < target { blob.append(contentsOf: once) }
    let scanner = SecretScanner()
    var rates: [Double] = []
    var findings = 0
    for _ in 0..<runs {
        let start = clock.now
        findings = blob.withUnsafeBufferPointer { scanner.scan(utf8: $0) }.count
        rates.append(Double(blob.count) / 1e6 / (nanoseconds(start.duration(to: clock.now)) / 1e9))
    }
    print("secrets \(median(rates)) \(blob.count) \(findings)")

default:
    FileHandle.standardError.write(Data("usage: security-peers-swift screen|secrets [--corpus F] [--mb N] [--runs N]\n".utf8))
    exit(2)
}
