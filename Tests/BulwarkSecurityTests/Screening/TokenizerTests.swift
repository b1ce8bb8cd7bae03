import Testing
@testable import BulwarkSecurity

@Suite("SQL tokenizer")
struct TokenizerTests {
    func kinds(_ s: String, quote: UInt8 = 0) -> [SQLToken.Kind] {
        var out: [SQLToken.Kind] = []
        let bytes = Array(s.utf8)
        bytes.withUnsafeBufferPointer { buf in
            var start = 0
            if quote != 0, let q = SQLTokenizer.breakoutEnd(buf, quote: quote) {
                out.append(.breakout)
                start = q + 1
            }
            var t = SQLTokenizer(buf, start: start)
            while true {
                let tk = t.next()
                if tk.kind == .none { break }
                out.append(tk.kind)
            }
        }
        return out
    }

    @Test func literalsAndOperators() {
        #expect(kinds("1 or 'a'='a'") == [.number, .logic, .string, .compare, .string])
        #expect(kinds("x || y && !z") == [.word, .logic, .word, .logic, .logic, .word])
        #expect(kinds("0x41 <> 1.5e3") == [.number, .compare, .number])
    }

    @Test func breakoutContext() {
        #expect(kinds("admin' or 1=1", quote: 0x27) == [.breakout, .logic, .number, .compare, .number])
        #expect(kinds("it''s", quote: 0x27).first == .breakout)
    }

    @Test func commentsAndFunctions() {
        #expect(kinds("sleep(5)--") == [.function, .lparen, .number, .rparen, .comment])
        #expect(kinds("a /* x */ b # c") == [.word, .comment, .word, .comment])
        #expect(kinds("@@version @x") == [.variable, .variable])
    }

    @Test func unterminatedStringIsBounded() {
        #expect(kinds("'abc") == [.stringOpen])
        #expect(kinds("/* never closed") == [.comment])
    }
}
