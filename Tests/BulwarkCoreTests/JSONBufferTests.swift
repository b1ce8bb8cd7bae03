import BulwarkCore
import Foundation
import Testing

@Suite("JSONBuffer")
struct JSONBufferTests {
    @Test func buildsValidJSONWithEscapes() throws {
        var buffer = JSONBuffer()
        buffer.appendField("{\"a\":", "plain")
        buffer.appendField(",\"b\":", "quote \" backslash \\ newline \n tab \t bell \u{7} é ☃")
        buffer.append(",\"n\":")
        buffer.append(-42)
        buffer.append(",\"t\":\"")
        buffer.appendDigits(7, width: 6)
        buffer.append("\"}")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String: Any])
        #expect(object["a"] as? String == "plain")
        #expect(object["b"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{7} é ☃")
        #expect(object["n"] as? Int == -42)
        #expect(object["t"] as? String == "000007")
        #expect(buffer.text.contains("\\u0007"))
    }

    @Test func digitsArePaddedAndKeepFullWidth() {
        var buffer = JSONBuffer()
        buffer.appendDigits(0, width: 3)
        buffer.append(" ")
        buffer.appendDigits(123456, width: 6)
        #expect(buffer.text == "000 123456")
    }
}

@Suite("JSONBuffer storage")
struct JSONBufferStorageTests {
    @Test func growsPastItsCapacityKeepingEveryByte() throws {
        var buffer = JSONBuffer(capacity: 1)
        var expected = ""
        buffer.append("[")
        expected += "["
        for index in 0..<2_000 {
            if index > 0 {
                buffer.append(",")
                expected += ","
            }
            let text = "item \(index) \"quoted\" \\ tab\t"
            buffer.appendQuoted(text)
            expected += JSONText.quoted(text)
        }
        buffer.append("]")
        expected += "]"
        #expect(buffer.text == expected)
        #expect(buffer.count == expected.utf8.count)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String])
        #expect(decoded.count == 2_000)
        #expect(decoded[1_999] == "item 1999 \"quoted\" \\ tab\t")
    }

    @Test func escapesFoundPastTheFirstWordAndInTheTail() throws {
        for prefixLength in 0..<20 {
            let text = String(repeating: "x", count: prefixLength) + "\u{1}\"é" + String(repeating: "y", count: prefixLength % 7)
            var buffer = JSONBuffer(capacity: 4)
            buffer.appendQuoted(text)
            let decoded = try JSONSerialization.jsonObject(with: Data(buffer.bytes), options: .fragmentsAllowed) as? String
            #expect(decoded == text)
        }
    }

    @Test func decimalsHaveExactlyTheirFractionDigits() {
        let cases: [(Int, Int, String)] = [
            (12_345, 3, "12.345"), (5, 3, "0.005"), (0, 3, "0.000"), (1_000, 3, "1.000"), (-1_500, 3, "-1.500"),
            (7, 0, "7"), (123_456_789, 6, "123.456789"), (-5, 3, "-0.005"), (-999, 3, "-0.999"),
            (Int.min, 3, "-9223372036854775.808"), (Int.max, 18, "9.223372036854775807"),
        ]
        for (value, digits, text) in cases {
            var buffer = JSONBuffer()
            buffer.appendDecimal(value, fractionDigits: digits)
            #expect(buffer.text == text)
        }
    }

    @Test func rawSubstringsAndBytesAreCopiedAsTheyAre() {
        var buffer = JSONBuffer(capacity: 2)
        let text = "prefix-0123456789-suffix"
        buffer.appendRaw(text.dropFirst(7).prefix(10))
        "!".utf8.withContiguousStorageIfAvailable { buffer.appendBytes(UnsafeRawBufferPointer($0)) }
        #expect(buffer.text == "0123456789!")
        buffer.withUnsafeBytes { #expect($0.count == 11) }
    }
}
