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
}
