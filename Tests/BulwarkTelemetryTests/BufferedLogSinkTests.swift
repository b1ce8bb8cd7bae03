import BulwarkTelemetry
import BulwarkTesting
import Foundation
import Logging
import MetricsTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("BufferedLogSink")
struct BufferedLogSinkTests {
    /// `line-NNNN` plus the newline: 10 bytes in the buffer.
    private func numbered(_ index: Int) -> String {
        "line-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
    }

    @Test func aFullBufferDropsCountsAndReportsLines() throws {
        let destination = GatedDestination()
        let metrics = TestMetrics()
        let clock = ManualClock()
        // Room for exactly ten 10-byte lines; the writer wakes on every line and never by timer.
        let sink = BufferedLogSink(
            destination: destination, capacity: 100, batchBytes: 1, interval: .seconds(3600), metrics: metrics, clock: clock)
        sink.write(line: numbered(0))
        try #require(destination.waitUntilHeld(), "the writer never picked up the first line")

        for index in 1...25 { sink.write(line: numbered(index)) }
        #expect(sink.droppedLines == 15)

        destination.release()
        sink.flush()
        let lines = destination.lines
        #expect(Array(lines.prefix(11)) == (0...10).map(numbered))
        #expect(lines.count == 12)
        let warning = try parseLine(try #require(lines.last))
        #expect(warning["level"] as? String == "warning")
        #expect(warning["logger"] as? String == "bulwark.log")
        let fields = try #require(warning["metadata"] as? [String: Any])
        #expect(fields["event"] as? String == "log_lines_dropped")
        #expect(fields["dropped_lines"] as? Int == 15)
        #expect(fields["dropped_lines_total"] as? Int == 15)
        #expect(try metrics.expectCounter(BufferedLogSink.droppedLinesMetric).totalValue == 15)

        // Room again once drained: nothing more is dropped.
        sink.write(line: numbered(26))
        sink.close()
        #expect(destination.lines.last == numbered(26))
        #expect(sink.droppedLines == 15)
        #expect(destination.isClosed)
    }

    @Test func dropWarningsArePacedByTheClockButEveryDropIsCounted() throws {
        let destination = GatedDestination()
        destination.release()
        let metrics = TestMetrics()
        let clock = ManualClock()
        let sink = BufferedLogSink(
            destination: destination, capacity: 64, dropWarningInterval: .seconds(10), metrics: metrics, clock: clock)
        let tooLong = String(repeating: "x", count: 100)

        sink.write(line: tooLong)
        sink.flush()
        #expect(warnings(destination).map(\.dropped) == [1])

        sink.write(line: tooLong)
        sink.write(line: "kept")
        sink.flush()
        #expect(warnings(destination).map(\.dropped) == [1], "a second warning within the interval")
        #expect(try metrics.expectCounter(BufferedLogSink.droppedLinesMetric).totalValue == 2)
        #expect(destination.lines.contains("kept"))

        clock.advance(by: .seconds(10))
        sink.flush()
        #expect(warnings(destination).map(\.dropped) == [1, 1])
        #expect(warnings(destination).map(\.total) == [1, 2])

        sink.write(line: tooLong)
        sink.close()
        #expect(warnings(destination).map(\.total) == [1, 2, 3], "close announces what is left, whatever the clock")
    }

    @Test func linesAfterCloseAreDroppedNotWritten() {
        let destination = GatedDestination()
        destination.release()
        let sink = BufferedLogSink(destination: destination, metrics: TestMetrics(), clock: ManualClock())
        sink.write(line: "before")
        sink.close()
        sink.write(line: "after")
        sink.flush()
        sink.close()
        #expect(destination.lines == ["before"])
        #expect(sink.droppedLines == 1)
    }

    @Test func threadsWritingAtOnceLoseNothingAndKeepTheirOwnOrder() {
        let destination = GatedDestination()
        destination.release()
        // A small batch size, so the writer drains while the threads are still writing.
        let sink = BufferedLogSink(destination: destination, batchBytes: 512, metrics: TestMetrics(), clock: ManualClock())
        let threads = 20  // more dedicated threads than the intake has parts: some share
        let perThread = 2_000
        let finished = DispatchGroup()
        for thread in 0..<threads {
            finished.enter()
            Thread {
                // Half of them log like event loops, from a part of their own; the rest share one.
                if thread % 2 == 0 { BufferedLogSink.dedicateIntakePartToCurrentThread() }
                for index in 0..<perThread { sink.write(line: "t\(thread)-\(index)") }
                finished.leave()
            }.start()
        }
        #expect(finished.wait(timeout: .now() + 60) == .success)
        sink.close()
        let lines = destination.lines
        #expect(lines.count == threads * perThread)
        #expect(sink.droppedLines == 0)
        var next = [Int](repeating: 0, count: threads)
        var outOfOrder = 0
        for line in lines {
            let parts = line.dropFirst().split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, parts[0] < threads else {
                outOfOrder += 1
                continue
            }
            if parts[1] != next[parts[0]] { outOfOrder += 1 }
            next[parts[0]] = parts[1] + 1
        }
        #expect(outOfOrder == 0)
        #expect(next == [Int](repeating: perThread, count: threads))
    }

    @Test func linesRacingCloseAreWrittenOrCountedNeverLost() {
        let destination = GatedDestination()
        destination.release()
        // Small enough that some lines are dropped for room as well as for the close.
        let sink = BufferedLogSink(destination: destination, capacity: 4_096, batchBytes: 256, metrics: TestMetrics(), clock: ManualClock())
        let threads = 6
        let perThread = 5_000
        let started = DispatchGroup()
        let finished = DispatchGroup()
        for thread in 0..<threads {
            started.enter()
            finished.enter()
            Thread {
                if thread % 2 == 0 { BufferedLogSink.dedicateIntakePartToCurrentThread() }
                started.leave()
                for index in 0..<perThread { sink.write(line: "t\(thread)-\(index)") }
                finished.leave()
            }.start()
        }
        started.wait()
        sink.close()  // while the threads are still writing
        #expect(finished.wait(timeout: .now() + 60) == .success)
        let written = destination.lines.filter { $0.hasPrefix("t") }.count
        #expect(written + sink.droppedLines == threads * perThread)
        #expect(sink.droppedLines > 0)
    }

    @Test func writeErrorsAreCountedNotFatal() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        defer { Glibc.close(fd) }
        let metrics = TestMetrics()
        let sink = BufferedLogSink(fileDescriptor: fd, metrics: metrics)
        sink.write(line: "cannot land: the device is full")
        sink.flush()
        sink.write(line: "nor this")
        sink.close()
        #expect(sink.writeErrors == 2)
        #expect(try metrics.expectCounter(BufferedLogSink.writeErrorsMetric).totalValue == 2)
    }

    @Test func textWarningMatchesTheConsoleFormat() {
        let line = DroppedLinesWarning.text.render(3, 7)
        #expect(line.contains(" warning bulwark.log: log lines dropped"))
        #expect(line.hasSuffix("dropped_lines=3 dropped_lines_total=7 event=log_lines_dropped"))
    }

    private func warnings(_ destination: GatedDestination) -> [(dropped: Int, total: Int)] {
        destination.lines.compactMap { line in
            guard let record = try? parseLine(line), let fields = record["metadata"] as? [String: Any],
                fields["event"] as? String == DroppedLinesWarning.event,
                let dropped = fields["dropped_lines"] as? Int, let total = fields["dropped_lines_total"] as? Int
            else { return nil }
            return (dropped, total)
        }
    }
}
