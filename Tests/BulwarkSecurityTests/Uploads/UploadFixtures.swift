@testable import BulwarkSecurity

/// Test files built byte by byte, so every fixture states exactly what it contains (and what
/// it lies about). Nothing is downloaded.
enum UploadFixtures {
    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    static func le24(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + [UInt8(value >> 16 & 0xFF)] }
    static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: Int) -> [UInt8] { be16(value >> 16 & 0xFFFF) + be16(value & 0xFFFF) }
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = ascii(type) + data
        return be32(data.count) + body + be32(Int(CRC32.checksum(body)))
    }

    /// Signature, IHDR (8-bit RGBA), a token IDAT and IEND.
    static func png(width: Int, height: Int) -> [UInt8] {
        MagicBytes.png + pngChunk("IHDR", be32(width) + be32(height) + [8, 6, 0, 0, 0])
            + pngChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + pngChunk("IEND", [])
    }

    static func jpegSegment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + be16(payload.count + 2) + payload
    }

    static let app0 = jpegSegment(0xE0, ascii("JFIF") + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
    static let dqt = jpegSegment(0xDB, [0] + [UInt8](repeating: 1, count: 64))

    static func sof(_ marker: UInt8 = 0xC0, width: Int, height: Int) -> [UInt8] {
        jpegSegment(marker, [8] + be16(height) + be16(width) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
    }

    /// SOI, APP0, DQT, SOFn, a token scan, EOI.
    static func jpeg(width: Int, height: Int, marker: UInt8 = 0xC0, before: [UInt8] = []) -> [UInt8] {
        [0xFF, 0xD8] + app0 + dqt + before + sof(marker, width: width, height: height)
            + jpegSegment(0xDA, [1, 1, 0, 0, 0x3F, 0]) + [0x12, 0x34, 0xFF, 0x00, 0x56] + [0xFF, 0xD9]
    }

    static func gif(width: Int, height: Int) -> [UInt8] {
        ascii("GIF89a") + le16(width) + le16(height) + [0x00, 0, 0] + [0x2C] + le16(0) + le16(0) + le16(width) + le16(height)
            + [0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]
    }

    static func riff(_ chunk: String, _ payload: [UInt8]) -> [UInt8] {
        let body = ascii("WEBP") + ascii(chunk) + le32(payload.count) + payload
        return ascii("RIFF") + le32(body.count) + body
    }

    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        riff("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + [UInt8](repeating: 0, count: 10))
    }

    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        riff("VP8L", [0x2F] + le32((width - 1) | (height - 1) << 14) + [UInt8](repeating: 0, count: 8))
    }

    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        riff("VP8X", [0x10, 0, 0, 0] + le24(width - 1) + le24(height - 1))
    }

    static let pdf = ascii("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

/// A ZIP writer whose every field can be made to lie.
struct ZipFixture {
    struct Entry {
        var name: String
        /// The entry's data as it sits in the archive (stored, or pretend-deflated).
        var data: [UInt8]
        var method = 0
        var flags = 0
        /// Declared uncompressed size; defaults to `data.count`.
        var uncompressedSize: Int?
        /// Overrides for the central directory only.
        var centralCompressedSize: Int?
        var centralUncompressedSize: Int?
        var centralLocalOffset: Int?
        var centralMethod: Int?
        /// Overrides for the local header only.
        var localName: String?

        init(_ name: String, _ data: [UInt8], method: Int = 0, uncompressedSize: Int? = nil) {
            self.name = name
            self.data = data
            self.method = method
            self.uncompressedSize = uncompressedSize
        }
    }

    var entries: [Entry]
    var declaredCount: Int?
    var directorySizeDelta = 0
    var directoryOffsetOverride: Int?
    var comment: [UInt8] = []
    var prefix: [UInt8] = []

    init(_ entries: [Entry]) {
        self.entries = entries
    }

    func bytes() -> [UInt8] {
        typealias F = UploadFixtures
        var out = prefix
        var central: [UInt8] = []
        for entry in entries {
            let offset = out.count
            let uncompressed = entry.uncompressedSize ?? entry.data.count
            let localName = F.ascii(entry.localName ?? entry.name)
            out += [0x50, 0x4B, 0x03, 0x04] + F.le16(20) + F.le16(entry.flags) + F.le16(entry.method) + F.le16(0) + F.le16(0x21)
                + F.le32(0) + F.le32(entry.data.count) + F.le32(uncompressed) + F.le16(localName.count) + F.le16(0)
            out += localName + entry.data
            let name = F.ascii(entry.name)
            central += [0x50, 0x4B, 0x01, 0x02] + F.le16(20) + F.le16(20) + F.le16(entry.flags)
                + F.le16(entry.centralMethod ?? entry.method) + F.le16(0) + F.le16(0x21) + F.le32(0)
                + F.le32(entry.centralCompressedSize ?? entry.data.count) + F.le32(entry.centralUncompressedSize ?? uncompressed)
                + F.le16(name.count) + F.le16(0) + F.le16(0) + F.le16(0) + F.le16(0) + F.le32(0)
                + F.le32(entry.centralLocalOffset ?? offset) + name
        }
        let directoryOffset = out.count
        out += central
        let count = declaredCount ?? entries.count
        out += [0x50, 0x4B, 0x05, 0x06] + F.le16(0) + F.le16(0) + F.le16(count) + F.le16(count)
            + F.le32(central.count + directorySizeDelta) + F.le32(directoryOffsetOverride ?? directoryOffset) + F.le16(comment.count) + comment
        return out
    }
}
