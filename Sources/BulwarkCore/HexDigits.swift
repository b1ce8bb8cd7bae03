/// Lowercase hex writing shared by ids and trace contexts.
package enum HexDigits {
    /// Sixteen digits of `value`. Digits are computed rather than read from a table: a global
    /// table's lazy-initialization check on every id generated showed up in the gateway's profile.
    package static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for index in stride(from: 15, through: 0, by: -1) {
            buffer[offset + index] = digit(UInt8(truncatingIfNeeded: value & 0xF))
            value >>= 4
        }
    }

    @inline(__always)
    package static func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 &+ nibble : 87 &+ nibble }

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
                buffer[offset] = digit(byte >> 4)
                buffer[offset + 1] = digit(byte & 0x0F)
                offset += 2
            }
            return offset
        }
    }
}
