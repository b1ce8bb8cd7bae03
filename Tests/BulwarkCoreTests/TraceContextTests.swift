import BulwarkCore
import BulwarkTesting
import Testing

private let validHeader = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

@Suite("TraceContext")
struct TraceContextTests {
    @Test func parsesAValidHeader() throws {
        let parsed = try #require(TraceContext.parse(validHeader))
        #expect(parsed.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.parentID == "00f067aa0ba902b7")
        #expect(parsed.flags == "01")
    }

    @Test func acceptsFutureVersionsWithExtraFields() throws {
        let parsed = try #require(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra"))
        #expect(parsed.flags == "00")
    }

    @Test(arguments: [
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // missing flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has exactly 4 fields
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e47360-00f067aa0ba902b7-01",  // long trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",  // short parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",  // short flags
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // not hex
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // short version
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // wrong separator
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // leading space
    ])
    func rejectsInvalidHeaders(header: String) {
        #expect(TraceContext.parse(header) == nil)
    }

    @Test func continueKeepsTraceIDAndFlagsWithANewSpan() throws {
        var random = SplitMix64(seed: 3)
        let context = TraceContext.continueOrStart(incoming: validHeader, using: &random)
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.flags == "01")
        #expect(context.spanID != "00f067aa0ba902b7")
        #expect(context.spanID.wholeMatch(of: try Regex("^[0-9a-f]{16}$")) != nil)
        #expect(context.spanID != "0000000000000000")
        #expect(context.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(context.spanID)-01")
    }

    @Test func continueKeepsUnsampledFlags() {
        var random = SplitMix64(seed: 3)
        let context = TraceContext.continueOrStart(
            incoming: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", using: &random)
        #expect(context.flags == "00")
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func eachHopGetsItsOwnSpan() {
        var random = SplitMix64(seed: 5)
        let first = TraceContext.continueOrStart(incoming: validHeader, using: &random)
        let second = TraceContext.continueOrStart(incoming: validHeader, using: &random)
        #expect(first.traceID == second.traceID)
        #expect(first.spanID != second.spanID)
    }

    @Test func startMakesAValidSampledTraceparent() throws {
        // SplitMix64 from seed 0 yields e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f (the
        // published reference sequence): the span id is drawn first, then the trace id's halves.
        var random = SplitMix64(seed: 0)
        let context = TraceContext.continueOrStart(incoming: nil, using: &random)
        #expect(context.spanID == "e220a8397b1dcdaf")
        #expect(context.traceID == "6e789e6aa1b965f406c45d188009454f")
        #expect(context.flags == "01")
        #expect(context.traceparent == "00-6e789e6aa1b965f406c45d188009454f-e220a8397b1dcdaf-01")
        let reparsed = try #require(TraceContext.parse(context.traceparent))
        #expect(reparsed.traceID == context.traceID)
        #expect(reparsed.parentID == context.spanID)
    }

    @Test func invalidIncomingStartsAFreshTrace() throws {
        var random = SystemRandomNumberGenerator()
        for incoming in ["junk", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"] {
            let context = TraceContext.continueOrStart(incoming: incoming, using: &random)
            #expect(context.flags == "01")
            #expect(context.traceID != "00000000000000000000000000000000")
            #expect(context.traceID.wholeMatch(of: try Regex("^[0-9a-f]{32}$")) != nil)
            #expect(TraceContext.parse(context.traceparent) != nil)
        }
    }

    @Test func startedTracesAreDistinct() {
        var random = SplitMix64(seed: 42)
        let ids = (0..<1000).map { _ in TraceContext.continueOrStart(incoming: nil, using: &random).traceID }
        #expect(Set(ids).count == 1000)
        #expect(TraceContext.headerName == "traceparent")
    }
}
