/// `%XX` decoding for the few places that take URL-encoded text from operators (user names and
/// passwords in a state URL, an IPv6 address in an admin path): well-formed escapes are decoded,
/// anything malformed is kept as written rather than rejected.
public enum PercentDecoding {
    public static func decodeLenient(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%"), input.count >= 2,
                let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
