import Foundation

/// One labeled corpus record; spans are Python code-point indices (end exclusive).
struct CorpusRecord {
    struct Span { let start: Int; let end: Int; let kind: String }
    let text: String
    let spans: [Span]
    let source: String
    let context: String
}

enum CorpusLoader {
    static func load(path: String) throws -> [CorpusRecord] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var records: [CorpusRecord] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let text = obj["text"] as? String else { continue }
            var spans: [CorpusRecord.Span] = []
            for s in (obj["secrets"] as? [[String: Any]]) ?? [] {
                if let a = s["start"] as? Int, let b = s["end"] as? Int, let k = s["kind"] as? String {
                    spans.append(.init(start: a, end: b, kind: k))
                }
            }
            records.append(CorpusRecord(text: text, spans: spans, source: obj["source"] as? String ?? "",
                                        context: obj["context"] as? String ?? ""))
        }
        return records
    }
}
