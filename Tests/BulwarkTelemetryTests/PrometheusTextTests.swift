import BulwarkTelemetry
import BulwarkTesting
import Testing

@Suite struct PrometheusTextTests {
    @Test func labelValuesEscapeBackslashQuoteAndLineFeed() {
        #expect(PrometheusTextWriter.escapeLabelValue(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(PrometheusTextWriter.escapeLabelValue("plain/path") == "plain/path")
        #expect(PrometheusTextWriter.escapeLabelValue("ünï") == "ünï")
    }

    @Test func helpEscapesOnlyBackslashAndLineFeed() {
        #expect(PrometheusTextWriter.escapeHelp("say \"hi\"\\\nnow") == "say \"hi\"\\\\\\nnow")
    }

    @Test func valuesUseThePrometheusSpellings() {
        #expect(PrometheusTextWriter.formatValue(3) == "3")
        #expect(PrometheusTextWriter.formatValue(0.25) == "0.25")
        #expect(PrometheusTextWriter.formatValue(0.000001) == "1e-06")
        #expect(PrometheusTextWriter.formatValue(.nan) == "NaN")
        #expect(PrometheusTextWriter.formatValue(.infinity) == "+Inf")
        #expect(PrometheusTextWriter.formatValue(-.infinity) == "-Inf")
    }

    @Test func theValidatorCatchesBrokenExposition() {
        // The validator below is what the renderers are judged by, so it must reject real mistakes.
        let broken = [
            "x_total 1\n",  // sample before TYPE
            "# TYPE x gauge\nx{a=\"b} 1\n",  // unterminated label value
            "# TYPE x gauge\nx{a=\"\\q\"} 1\n",  // invalid escape
            "# TYPE x gauge\nx one\n",  // bad value
            "# TYPE x gauge\n# TYPE y gauge\ny 1\nx 2\n",  // family split
            "# TYPE x gauge\nx 1\nx 2\n",  // duplicate series
            "# TYPE x summary\nx 1\n",  // summary sample without quantile
            "# TYPE x gauge\nx 1",  // no final line feed
            "# TYPE 1x gauge\n",  // bad name
        ]
        for text in broken {
            #expect(!PrometheusExpositionValidator.problems(in: text).isEmpty, "accepted: \(text)")
        }
        #expect(PrometheusExpositionValidator.problems(in: "# HELP x h\n# TYPE x gauge\nx{a=\"\\\"\"} 1e-06\n").isEmpty)
    }

    @Test func trackerRendersASummaryFamilyWithMaxAndFolded() throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(operationLimit: 2))
        for milliseconds in 1...100 { harness.tracker.record("request", duration: .milliseconds(milliseconds)) }
        harness.tracker.record("db \"main\"\n", duration: .microseconds(1_500))
        harness.tracker.record("spill", duration: .milliseconds(2))
        let text = harness.tracker.prometheusText()
        #expect(PrometheusExpositionValidator.problems(in: text) == [])

        // Quantiles are the top of the histogram bucket holding the true value (50 ms sits in a
        // 32 µs-wide bucket): HdrHistogram's convention, within 0.1 %.
        let lines = Set(text.split(separator: "\n").map(String.init))
        let expected = [
            "# TYPE bulwark_operation_duration_seconds summary",
            #"bulwark_operation_duration_seconds{operation="request",quantile="0.5"} 0.050015"#,
            #"bulwark_operation_duration_seconds{operation="request",quantile="0.95"} 0.095039"#,
            #"bulwark_operation_duration_seconds{operation="request",quantile="0.99"} 0.099007"#,
            #"bulwark_operation_duration_seconds_sum{operation="request"} 5.05"#,
            #"bulwark_operation_duration_seconds_count{operation="request"} 100"#,
            #"bulwark_operation_duration_seconds{operation="db \"main\"\n",quantile="0.5"} 0.0015"#,
            #"bulwark_operation_duration_seconds_count{operation="other"} 1"#,
            "# TYPE bulwark_operation_duration_seconds_max gauge",
            #"bulwark_operation_duration_seconds_max{operation="request"} 0.1"#,
            "# TYPE bulwark_operations_folded_total counter",
            "bulwark_operations_folded_total 1",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing: \(line)\n\(text)")
        }
    }

    @Test func anEmptyTrackerStillRendersValidText() {
        let text = TrackerHarness().tracker.prometheusText()
        #expect(PrometheusExpositionValidator.problems(in: text) == [])
        #expect(text.contains("bulwark_operations_folded_total 0\n"))
    }
}
