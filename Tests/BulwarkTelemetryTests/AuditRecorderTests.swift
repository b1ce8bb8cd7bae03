import BulwarkTelemetry
import BulwarkTesting
import Logging
import MetricsTestKit
import Synchronization
import Testing

/// `record` never waits and never holds more than `maxInFlight` events: a sink that holds its
/// completions shows exactly which events were taken, dropped, recorded and failed.
@Suite struct AuditRecorderTests {
    /// Queues detached appends until the test settles them.
    final class HeldSink: AuditSink {
        private let held = Mutex<[(AuditEvent, @Sendable (Result<AuditReceipt, any Error>) -> Void)]>([])

        var events: [AuditEvent] { held.withLock { $0.map(\.0) } }

        func append(_ event: AuditEvent) async throws -> AuditReceipt {
            AuditReceipt(seq: 0, time: AuditTime(microsecondsSinceEpoch: 0), hash: "")
        }

        func appendDetached(_ event: AuditEvent, completion: @escaping @Sendable (Result<AuditReceipt, any Error>) -> Void) {
            held.withLock { $0.append((event, completion)) }
        }

        /// Completes every held append, failing those whose action is `failing`.
        func settle(failing: String? = nil) {
            let pending = held.withLock { held in
                defer { held.removeAll() }
                return held
            }
            for (event, completion) in pending {
                if event.action == failing {
                    completion(.failure(Refused()))
                } else {
                    completion(.success(AuditReceipt(seq: 1, time: AuditTime(microsecondsSinceEpoch: 0), hash: "")))
                }
            }
        }
    }

    struct Refused: Error {}

    static func event(_ action: String) -> AuditEvent {
        AuditEvent(actor: "gateway", action: action, resource: "203.0.113.7", outcome: .denied)
    }

    @Test func recordTakesAtMostMaxInFlightAndCountsEveryOutcome() throws {
        let metrics = TestMetrics()
        let sink = HeldSink()
        let recorder = AuditRecorder(sink: sink, maxInFlight: 3, logger: Logger(label: "test"), metrics: metrics)
        for index in 0..<5 { recorder.record(Self.event("auth.failure.\(index)")) }
        #expect(sink.events.map(\.action) == ["auth.failure.0", "auth.failure.1", "auth.failure.2"])
        func count(_ result: String) throws -> Int64 {
            try metrics.expectCounter("bulwark_audit_events_total", [("result", result)]).totalValue
        }
        #expect(try count("dropped") == 2)

        sink.settle(failing: "auth.failure.1")
        #expect(try count("recorded") == 2)
        #expect(try count("failed") == 1)

        // Settled appends free their slots.
        for index in 5..<8 { recorder.record(Self.event("auth.failure.\(index)")) }
        #expect(sink.events.count == 3)
        #expect(try count("dropped") == 2)
    }

    @Test func withoutASinkEventsAreDroppedAndCounted() throws {
        let metrics = TestMetrics()
        let recorder = AuditRecorder(logger: Logger(label: "test"), metrics: metrics)
        recorder.record(Self.event("ip.block"))
        #expect(try metrics.expectCounter("bulwark_audit_events_total", [("result", "dropped")]).totalValue == 1)
    }
}

@Suite struct AuditRecorderFailureLogTests {
    struct Down: Error {}

    /// A sink that refuses every event at once.
    final class DownSink: AuditSink {
        func append(_ event: AuditEvent) async throws -> AuditReceipt { throw Down() }
        func appendDetached(_ event: AuditEvent, completion: @escaping @Sendable (Result<AuditReceipt, any Error>) -> Void) {
            completion(.failure(Down()))
        }
    }

    /// Every failure is counted; the log gets one warning per interval, naming how many it skipped.
    @Test func failuresAreLoggedOncePerInterval() throws {
        let clock = ManualClock()
        let sink = MemorySink()
        let metrics = TestMetrics()
        let recorder = AuditRecorder(
            sink: DownSink(), logger: jsonLogger(sink), metrics: metrics, clock: TimingClock(clock))
        for _ in 0..<5 { recorder.record(AuditRecorderTests.event("auth.failure")) }
        #expect(sink.lines.count == 1)
        clock.advance(by: AuditRecorder.failureLogInterval)
        recorder.record(AuditRecorderTests.event("auth.failure"))
        #expect(sink.lines.count == 2)
        let second = try #require(sink.lines.last)
        #expect(second.contains("\"unlogged_failures\":4"), "\(second)")
        #expect(try metrics.expectCounter("bulwark_audit_events_total", [("result", "failed")]).totalValue == 6)
    }
}
