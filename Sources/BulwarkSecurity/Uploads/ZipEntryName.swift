/// Checks an entry name from a ZIP directory as an extractor would use it: as a relative path
/// under the extraction directory. Works on bytes so it holds for UTF-8 and legacy CP437
/// names alike.
enum ZipEntryName {
    /// Extensions of archive formats, for the nested-archive rule.
    static let archiveExtensions: Set<String> = [
        "zip", "jar", "war", "ear", "apk", "ipa", "7z", "rar", "gz", "tgz", "bz2", "tbz2", "xz", "txz", "zst", "tar", "cab", "lz", "lzma", "z",
    ]

    /// Why `name` is unsafe, or nil: zip-slip (`..`, absolute, drive letters), backslashes
    /// (Windows extractors treat them as separators), NUL and other control characters.
    static func problem(_ name: UnsafeBufferPointer<UInt8>) -> String? {
        if name.isEmpty { return "has an empty name" }
        for byte in name {
            if byte < 0x20 || byte == 0x7F { return "has a control character in its name" }
            if byte == UInt8(ascii: "\\") { return "uses a backslash in its name" }
        }
        if name[0] == UInt8(ascii: "/") { return "has an absolute path" }
        if name.count >= 2, name[1] == UInt8(ascii: ":") { return "has a drive-letter path" }
        for component in name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let core = component.reversed().drop { $0 == UInt8(ascii: " ") }
            if core.count >= 2 && core.allSatisfy({ $0 == UInt8(ascii: ".") }) { return "climbs out of the archive with '..'" }
        }
        return nil
    }

    /// Whether the name's extension is an archive format.
    static func looksLikeArchive(_ name: String) -> Bool {
        guard !name.hasSuffix("/"), let dot = name.lastIndex(of: ".") else { return false }
        return archiveExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    static func display(_ name: UnsafeBufferPointer<UInt8>) -> String {
        FieldProblem.shortened(String(decoding: name, as: UTF8.self), to: 80)
    }
}
