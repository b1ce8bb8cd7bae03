/// When an operation counts as slow. Per-operation thresholds, plus one for operations not named
/// (or none, so unnamed operations are never reported).
public struct SlowOperationThresholds: Sendable, Hashable {
    /// The reference default for a whole request.
    public static let requestThreshold: Duration = .milliseconds(1000)

    public let perOperation: [String: Duration]
    /// Applies to operations missing from `perOperation`; `nil` disables reporting for them.
    public let defaultThreshold: Duration?

    /// `request` at 1000 ms, and the same for every other operation.
    public init() {
        perOperation = ["request": Self.requestThreshold]
        defaultThreshold = Self.requestThreshold
    }

    /// `perOperation` is laid over the defaults, so `request` keeps 1000 ms unless it is named.
    public init(_ perOperation: [String: Duration], defaultThreshold: Duration?) throws(TimingConfigurationError) {
        var merged = ["request": Self.requestThreshold]
        for (operation, threshold) in perOperation.sorted(by: { $0.key < $1.key }) {
            guard threshold > .zero else { throw .nonPositiveThreshold(operation: operation) }
            merged[operation] = threshold
        }
        if let defaultThreshold, defaultThreshold <= .zero {
            throw .nonPositiveThreshold(operation: "(default)")
        }
        self.perOperation = merged
        self.defaultThreshold = defaultThreshold
    }

    /// The threshold that applies to `operation`, if any.
    public func threshold(for operation: String) -> Duration? {
        perOperation[operation] ?? defaultThreshold
    }
}
