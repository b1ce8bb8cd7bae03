import BulwarkTelemetry
import Logging
import Testing

@Suite("LogLevelName")
struct LogLevelNameTests {
    @Test func parsesSwiftLogAndPythonSpellings() {
        #expect(LogLevelName.parse("INFO") == .info)
        #expect(LogLevelName.parse("warning") == .warning)
        #expect(LogLevelName.parse("WARN") == .warning)
        #expect(LogLevelName.parse("CRITICAL") == .critical)
        #expect(LogLevelName.parse("fatal") == .critical)
        #expect(LogLevelName.parse("trace") == .trace)
        #expect(LogLevelName.parse("verbose") == nil)
        #expect(LogLevelName.parse("") == nil)
    }
}
