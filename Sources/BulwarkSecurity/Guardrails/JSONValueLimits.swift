extension GuardrailLimits {
    /// The first way `value` breaks these limits (depth, string length, value count), or nil.
    ///
    /// For values that did not come through ``JSONParser`` (built from CSV cells, decoded by
    /// another library): the same guardrails, checked with an explicit stack so even a value
    /// nested a million levels deep is measured without recursion.
    public func violation(in value: JSONValue) -> String? {
        var pending: [(JSONValue, Int)] = [(value, 0)]
        var seen = 0
        while let (current, depth) = pending.popLast() {
            seen += 1
            if seen > maxValues { return "has more than \(maxValues) values" }
            switch current {
            case .string(let text):
                if text.utf8.count > maxStringLength && text.unicodeScalars.count > maxStringLength { return "has a string longer than \(maxStringLength) characters" }
            case .array(let items):
                if depth + 1 > maxDepth { return "nests arrays/objects deeper than \(maxDepth) levels" }
                for item in items { pending.append((item, depth + 1)) }
            case .object(let members):
                if depth + 1 > maxDepth { return "nests arrays/objects deeper than \(maxDepth) levels" }
                for (key, member) in members {
                    if key.utf8.count > maxStringLength && key.unicodeScalars.count > maxStringLength { return "has a key longer than \(maxStringLength) characters" }
                    pending.append((member, depth + 1))
                }
            case .null, .bool, .integer, .number:
                break
            }
        }
        return nil
    }
}
