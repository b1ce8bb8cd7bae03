import BulwarkSecurity
import Foundation

// Times dataset validation for the report: 10,000 records of the six-field project schema.
// Run: cd Benchmarks && swift build -c release --product guardrails-bench && taskset -c 0 .build/release/guardrails-bench

let schema = RecordSchema([
    .id("project_id"),
    .string("name", length: 1...200),
    .number("budget", 0.01...1e12),
    .integer("duration_days", 1...3650),
    .date("start_date", years: 1900...2200, required: false),
    .oneOf("complexity", ["low", "medium", "high"], default: "medium"),
])

func record(_ index: Int) -> String {
    let valid = index % 10 != 0  // one record in ten is refused, as a realistic mix
    return #"{"project_id":"P-\#(index)","name":"Project number \#(index)","budget":\#(1000 + index).5,"duration_days":\#(valid ? 30 + index % 100 : 0),"start_date":"2024-03-\#(10 + index % 18)","complexity":"high"}"#
}

let body = Array(("[" + (0..<10_000).map(record).joined(separator: ",") + "]").utf8)
let validator = DatasetValidator(schema: schema)
let parsed = try JSONParser().parse(body).arrayValue ?? []

func measure(_ label: String, rounds: Int = 30, _ work: () throws -> Int) rethrows {
    var samples: [Duration] = []
    var check = 0
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        check &+= try work()
        samples.append(ContinuousClock.now - start)
    }
    samples.sort()
    func ms(_ d: Duration) -> String { String(format: "%.2f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3) }
    print("\(label): median \(ms(samples[samples.count / 2])), min \(ms(samples[0])), max \(ms(samples[samples.count - 1])) [\(check)]")
}

print("dataset: 10,000 records, \(body.count) bytes, 6-field schema, 1 in 10 records invalid")
measure("parse JSON only            ") { (try? JSONParser().parse(body)) == nil ? 0 : 1 }
try measure("validate parsed records    ") { try validator.validate(records: parsed).accepted.count }
try measure("parse + validate (bytes)   ") { try validator.validate(json: body).accepted.count }
