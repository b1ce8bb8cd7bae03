/// What a file's leading bytes say it is. Text has no signature; it is recognised by the
/// absence of every binary one and then checked as UTF-8.
enum DetectedFormat: String, Sendable, Hashable {
    case pdf, png, jpeg, gif, webp, zip, text
    /// A binary signature Bulwark knows but does not accept (executables, other archives).
    case otherBinary

    var displayName: String {
        switch self {
        case .otherBinary: "another binary format"
        case .text: "text"
        default: rawValue.uppercased()
        }
    }
}

/// File signatures, checked on the first bytes only.
enum MagicBytes {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let zipLocal: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let zipEmpty: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    /// Executables: ELF, Mach-O (both byte orders), fat Mach-O / Java class. Each starts with
    /// a byte no text file starts with (PE's `MZ` does not, but PE files are full of NULs, which
    /// the text check refuses anyway).
    static let executables: [[UInt8]] = [
        [0x7F, 0x45, 0x4C, 0x46], [0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE],
    ]
    /// Compressed containers besides ZIP: gzip, 7z, RAR, xz.
    static let archives: [[UInt8]] = [
        [0x1F, 0x8B], [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07], [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],
    ]

    static func detect(_ reader: BoundedReader) -> DetectedFormat {
        if reader.matches(Array("%PDF-".utf8), at: 0) { return .pdf }
        if reader.matches(png, at: 0) { return .png }
        if reader.matches([0xFF, 0xD8, 0xFF], at: 0) { return .jpeg }
        if reader.matches(Array("GIF87a".utf8), at: 0) || reader.matches(Array("GIF89a".utf8), at: 0) { return .gif }
        if reader.matches(Array("RIFF".utf8), at: 0) && reader.matches(Array("WEBP".utf8), at: 8) { return .webp }
        if reader.matches(zipLocal, at: 0) || reader.matches(zipEmpty, at: 0) { return .zip }
        if (executables + archives).contains(where: { reader.matches($0, at: 0) }) { return .otherBinary }
        return .text
    }

    /// Whether data starting at `offset` is itself an archive (for stored ZIP entries).
    static func isArchive(_ reader: BoundedReader, at offset: Int) -> Bool {
        if reader.matches(zipLocal, at: offset) || reader.matches(zipEmpty, at: offset) { return true }
        return archives.contains { reader.matches($0, at: offset) }
    }
}
