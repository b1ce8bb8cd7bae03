import BulwarkCore

/// Turns a client-supplied file name into one that is safe to create on POSIX and Windows
/// file systems, or refuses it when nothing safe is left.
///
/// Two entry points because there are two situations: ``sanitize(_:)`` cleans whatever it is
/// given (a display name, a name for a download), while ``safeUploadName(_:)`` first refuses
/// names that show intent (`../`, absolute paths, NUL): an upload that tries to escape its
/// directory should be refused, not quietly renamed.
public struct FilenameSanitizer: Sendable, Hashable {
    /// UTF-8 bytes per name; 255 is the limit of ext4, APFS and NTFS (in their units).
    public var maxBytes: Int

    public init(maxBytes: Int = 255) {
        self.maxBytes = max(16, maxBytes)
    }

    /// Names Windows reserves for devices, with or without an extension (`CON.txt` too).
    static let reservedStems: Set<String> = {
        var names: Set<String> = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
        for digit in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "\u{B9}", "\u{B2}", "\u{B3}"] {
            names.insert("COM" + digit)
            names.insert("LPT" + digit)
        }
        return names
    }()

    /// Characters Windows refuses in names; `/` and `\` are separators everywhere.
    static let illegal: Set<Unicode.Scalar> = ["<", ">", ":", "\"", "/", "\\", "|", "?", "*"]

    /// The last path component, cleaned: control and bidi-override characters removed,
    /// characters illegal on Windows replaced by `_`, leading dots and spaces removed (no hidden
    /// files), trailing dots and spaces removed (Windows drops them, so `a.php.` is `a.php`),
    /// reserved device names prefixed with `_`, and the result cut to ``maxBytes`` keeping the
    /// extension, never inside a scalar. Throws (422) when nothing is left.
    public func sanitize(_ name: String) throws(BulwarkError) -> String {
        let lastComponent = name.unicodeScalars.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map { String(String.UnicodeScalarView($0)) } ?? ""
        var cleaned = String.UnicodeScalarView()
        for scalar in lastComponent.unicodeScalars {
            if TextSanitizer.isRemoved(scalar) || scalar == "\t" { continue }
            cleaned.append(Self.illegal.contains(scalar) ? "_" : scalar)
        }
        var text = Self.stripEdges(String(cleaned))
        if Self.isReserved(text) { text = "_" + text }
        text = truncated(text)
        guard !text.isEmpty else {
            throw BulwarkError(
                ErrorCatalog.validationFailed, "file name is empty once unsafe characters are removed",
                suggestion: "Give the file a name made of ordinary characters, e.g. report.pdf.")
        }
        return text
    }

    /// Refuses names that try to leave the upload directory or smuggle a NUL, then sanitizes.
    public func safeUploadName(_ name: String) throws(BulwarkError) -> String {
        if let reason = Self.hostility(of: name) {
            throw BulwarkError(
                ErrorCatalog.validationFailed, "file name \(reason)",
                suggestion: "Send the file with a plain name such as report.pdf, without folders.",
                internalDetail: "refused upload name: \(FieldProblem.shortened(name, to: 128).debugDescription)")
        }
        return try sanitize(name)
    }

    /// Why `name` is hostile as an upload name, or nil.
    public static func hostility(of name: String) -> String? {
        let scalars = name.unicodeScalars
        if scalars.contains("\u{0}") { return "contains a NUL character" }
        let first = scalars.first
        if first == "/" || first == "\\" { return "is an absolute path" }
        let bytes = Array(name.utf8)
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"), (bytes[0] | 0x20) >= UInt8(ascii: "a"), (bytes[0] | 0x20) <= UInt8(ascii: "z") {
            return "is an absolute path (drive letter)"
        }
        let components = scalars.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
        for component in components {
            // Windows drops trailing spaces and dots, so `.. ` and `...` climb like `..`.
            let core = component.reversed().drop { $0 == " " }
            if core.count >= 2 && core.allSatisfy({ $0 == "." }) { return "contains '..' (path traversal)" }
        }
        if components.count > 1 { return "must be a file name, not a path" }
        return nil
    }

    static func stripEdges(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != "." && $0 != " " }),
            let end = scalars.lastIndex(where: { $0 != "." && $0 != " " })
        else { return "" }
        return String(scalars[start...end])
    }

    static func isReserved(_ text: String) -> Bool {
        let stem = text.unicodeScalars.prefix { $0 != "." }.reversed().drop { $0 == " " }.reversed()
        return reservedStems.contains(String(String.UnicodeScalarView(stem)).uppercased())
    }

    /// Cuts the stem so stem + extension fit in ``maxBytes``, at a scalar boundary.
    func truncated(_ text: String) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var stem = text
        var suffix = ""
        if let dot = text.lastIndex(of: "."), dot != text.startIndex {
            let candidate = String(text[dot...])
            if candidate.utf8.count <= 32 {
                suffix = candidate
                stem = String(text[..<dot])
            }
        }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        let budget = maxBytes - suffix.utf8.count
        for scalar in stem.unicodeScalars {
            let width = UTF8.width(scalar)
            if bytes + width > budget { break }
            kept.append(scalar)
            bytes += width
        }
        return Self.stripEdges(String(kept)) + suffix
    }
}
