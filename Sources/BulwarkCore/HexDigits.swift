/// Lowercase hex writing shared by ids and trace contexts.
package enum HexDigits {
    package static let table: [UInt8] = Array("0123456789abcdef".utf8)

    package static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for index in stride(from: 15, through: 0, by: -1) {
            buffer[offset + index] = table[Int(value & 0xF)]
            value >>= 4
        }
    }

    package static func string(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            write(value, into: buffer, at: 0)
            return 16
        }
    }

    /// Two lowercase hex digits per byte (hashes, keys).
    package static func string<Bytes: Collection>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var offset = 0
            for byte in bytes {
                buffer[offset] = table[Int(byte >> 4)]
                buffer[offset + 1] = table[Int(byte & 0x0F)]
                offset += 2
            }
            return offset
        }
    }
}
