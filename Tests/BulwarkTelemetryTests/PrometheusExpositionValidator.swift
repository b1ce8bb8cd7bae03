/// Checks Prometheus text exposition (0.0.4) the way a scraper would: comment syntax, one TYPE per
/// family before its samples, samples grouped by family, valid names, label escapes and values,
/// no duplicate series. Returns the problems found (empty means valid).
enum PrometheusExpositionValidator {
    static func problems(in text: String) -> [String] {
        var problems: [String] = []
        guard text.isEmpty || text.hasSuffix("\n") else { return ["text does not end with a line feed"] }
        var families: [String: String] = [:]  // name -> type
        var closedFamilies: Set<String> = []
        var currentFamily: String?
        var seenSeries: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let at = "line \(number + 1)"
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                guard isMetricName(name) else { problems.append("\(at): bad metric name '\(name)'"); continue }
                if parts[1] == "TYPE" {
                    let type = parts.count == 4 ? String(parts[3]) : ""
                    guard ["counter", "gauge", "summary", "histogram", "untyped"].contains(type) else {
                        problems.append("\(at): unknown type '\(type)'")
                        continue
                    }
                    if families[name] != nil { problems.append("\(at): second TYPE for \(name)") }
                    families[name] = type
                } else if parts.count == 4, !validHelpEscapes(parts[3]) {
                    problems.append("\(at): bad escape in HELP")
                }
                if currentFamily != name, let currentFamily { closedFamilies.insert(currentFamily) }
                if closedFamilies.contains(name) { problems.append("\(at): family \(name) reopened") }
                currentFamily = name
                continue
            }
            guard let (name, labels, value) = parseSample(line) else {
                problems.append("\(at): unparsable sample '\(line)'")
                continue
            }
            guard Double(value) != nil || ["NaN", "+Inf", "-Inf"].contains(value) else {
                problems.append("\(at): bad value '\(value)'")
                continue
            }
            let family = familyName(of: name, families: families)
            guard let family, families[family] != nil else {
                problems.append("\(at): sample \(name) before its TYPE")
                continue
            }
            if family != currentFamily { problems.append("\(at): sample \(name) outside its family's group") }
            if families[family] == "summary", name == family, !labels.contains("quantile=") {
                problems.append("\(at): summary sample without quantile")
            }
            if !seenSeries.insert(name + "{" + labels + "}").inserted { problems.append("\(at): duplicate series") }
        }
        return problems
    }

    private static func familyName(of sample: String, families: [String: String]) -> String? {
        if families[sample] != nil { return sample }
        for suffix in ["_sum", "_count", "_bucket"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if let type = families[base], type == "summary" || type == "histogram" { return base }
        }
        return nil
    }

    static func isMetricName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
    }

    private static func isLabelName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }

    private static func validHelpEscapes(_ text: Substring) -> Bool {
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\\" {
                guard let next = iterator.next(), next == "\\" || next == "n" else { return false }
            }
        }
        return true
    }

    /// `name{a="x",b="y"} value` → (name, raw label text, value).
    private static func parseSample(_ line: Substring) -> (String, String, String)? {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < scalars.count, scalars[index] != "{", scalars[index] != " " {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard isMetricName(name) else { return nil }
        var labels = ""
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            var first = true
            while index < scalars.count, scalars[index] != "}" {
                if !first {
                    guard scalars[index] == "," else { return nil }
                    index += 1
                }
                first = false
                var label = ""
                while index < scalars.count, scalars[index] != "=" {
                    label.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard isLabelName(label), index + 1 < scalars.count, scalars[index + 1] == "\"" else { return nil }
                index += 2
                var value = ""
                var closed = false
                while index < scalars.count {
                    let scalar = scalars[index]
                    if scalar == "\\" {
                        guard index + 1 < scalars.count, ["\\", "\"", "n"].contains(scalars[index + 1]) else { return nil }
                        value.unicodeScalars.append(scalar)
                        value.unicodeScalars.append(scalars[index + 1])
                        index += 2
                        continue
                    }
                    if scalar == "\"" { closed = true; index += 1; break }
                    value.unicodeScalars.append(scalar)
                    index += 1
                }
                guard closed else { return nil }
                labels += (labels.isEmpty ? "" : ",") + label + "=\"" + value + "\""
            }
            guard index < scalars.count else { return nil }
            index += 1
        }
        guard index < scalars.count, scalars[index] == " " else { return nil }
        let rest = String(String.UnicodeScalarView(scalars[(index + 1)...])).split(separator: " ")
        guard rest.count == 1 || rest.count == 2 else { return nil }
        return (name, labels, String(rest[0]))
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
