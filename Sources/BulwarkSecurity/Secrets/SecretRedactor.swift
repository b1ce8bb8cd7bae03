/// Replaces every detected secret value with a mask and leaves every other character exactly as
/// it was (including multi-byte text). Meant for log redaction hooks.
///
/// Mask styles:
/// - `.label` (default): `[REDACTED:<kind>]`, e.g. `password=[REDACTED:password]`. Length
///   changes, so the secret's length is not revealed.
/// - `.sameLength`: one `*` per Unicode scalar of the secret, so columns and offsets of the rest
///   of the line are preserved (useful for aligned logs and for diffing).
public struct SecretRedactor: Sendable {
    public enum MaskStyle: Sendable, Equatable {
        case label
        case sameLength
    }

    public let scanner: SecretScanner
    public let style: MaskStyle

    public init(scanner: SecretScanner = SecretScanner(), style: MaskStyle = .label) {
        self.scanner = scanner
        self.style = style
    }

    /// Redacts one log line (or any text). When nothing is found the input is returned as is,
    /// without allocating a new string.
    public func redact(_ line: String) -> String {
        var copy = line
        let result: String? = copy.withUTF8 { bytes -> String? in
            let v = ByteView(p: bytes)
            let matches = scanner.resolvedMatches(v)
            if matches.isEmpty { return nil }
            return Self.render(v, matches, style: style)
        }
        return result ?? line
    }

    /// Redacts raw UTF-8 bytes and returns the redacted bytes.
    public func redact(utf8 bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { p -> [UInt8] in
            let v = ByteView(p: p)
            let matches = scanner.resolvedMatches(v)
            if matches.isEmpty { return bytes }
            return Array(Self.render(v, matches, style: style).utf8)
        }
    }

    static func render(_ v: ByteView, _ matches: [RawMatch], style: MaskStyle) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(v.count + matches.count * 16)
        var pos = 0
        for m in matches {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: v.p[pos..<m.start]))
            switch style {
            case .label:
                out.append(contentsOf: "[REDACTED:".utf8)
                out.append(contentsOf: m.kind.rawValue.utf8)
                out.append(UInt8(ascii: "]"))
            case .sameLength:
                var k = m.start
                while k < m.end {
                    if v[k] & 0xC0 != 0x80 { out.append(UInt8(ascii: "*")) }
                    k += 1
                }
            }
            pos = m.end
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: v.p[pos..<v.count]))
        return String(decoding: out, as: UTF8.self)
    }
}
