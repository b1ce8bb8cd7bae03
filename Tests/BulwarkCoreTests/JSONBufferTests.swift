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
