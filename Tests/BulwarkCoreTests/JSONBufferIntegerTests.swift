import BulwarkCore
import Testing

@Suite("JSONBuffer integers")
struct JSONBufferIntegerTests {
    @Test func integersMatchTheirDescription() {
        let values = [0, 7, 9, 10, 99, 100, 200, 12345, -1, -10, -42, 1 << 40, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for value in values {
            var buffer = JSONBuffer()
            buffer.append(value)
            #expect(buffer.text == String(value), "\(value)")
        }
    }

    @Test func paddedDigitsKeepTheLowDigitsOfWiderValues() {
        var buffer = JSONBuffer()
        buffer.appendDigits(1_234_567, width: 3)
        buffer.append(" ")
        buffer.appendDigits(-5, width: 2)
        buffer.append(" ")
        buffer.appendDigits(5, width: 0)
        #expect(buffer.text == "567 00 ")
    }
}
