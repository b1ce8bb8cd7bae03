import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization


struct Flaky: Error, Equatable {}

let unavailable = BulwarkError(ErrorCatalog.upstreamUnavailable)
let badInput = BulwarkError(ErrorCatalog.validationFailed)

/// Counts calls across tasks.
final class CallCounter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

func manualTime() -> (ManualClock, TimeSource) {
    let clock = ManualClock()
    return (clock, TimeSource(clock))
}

import Testing

/// `#expect(throws:)` for async bodies, without the macro's spurious "no async operations" warning.
func expectThrows<E: Error & Equatable, T>(
    _ expected: E, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(expected) to be thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error as? E == expected, sourceLocation: sourceLocation)
    }
}

func expectThrows<E: Error, T>(
    _ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(type) to be thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error is E, "got \(error)", sourceLocation: sourceLocation)
    }
}

/// Collects values from concurrent closures (a local `Mutex` cannot be captured by them).
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
