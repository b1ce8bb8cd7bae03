/// Limits and thresholds for a `PerformanceTracker`. Validated once here so recording never has to.
public struct PerformanceTrackerConfiguration: Sendable, Hashable {
    public static let defaultOperationLimit = 64
    public static let defaultCheckpointLimit = 32
    /// Names longer than this are folded like names over the limit: they are almost always
    /// generated text (paths, ids) that would otherwise become unbounded label values.
    public static let maxNameBytes = 128

    /// Distinct operation names tracked; later names are folded into `overflowOperation`.
    /// Each costs 16–190 KB of histogram depending on its slowest value.
    public let operationLimit: Int
    /// Where names past the limit are counted.
    public let overflowOperation: String
    /// Checkpoints kept per timed operation; later ones are counted as dropped.
    public let checkpointLimit: Int
    public let slowThresholds: SlowOperationThresholds

    /// 64 operations, overflow into `other`, 32 checkpoints, `request` slow at 1000 ms.
    public init() {
        operationLimit = Self.defaultOperationLimit
        overflowOperation = "other"
        checkpointLimit = Self.defaultCheckpointLimit
        slowThresholds = SlowOperationThresholds()
    }

    public init(
        operationLimit: Int = PerformanceTrackerConfiguration.defaultOperationLimit,
        overflowOperation: String = "other",
        checkpointLimit: Int = PerformanceTrackerConfiguration.defaultCheckpointLimit,
        slowThresholds: SlowOperationThresholds = SlowOperationThresholds()
    ) throws(TimingConfigurationError) {
        guard operationLimit >= 1 else { throw .operationLimitTooSmall(operationLimit) }
        guard checkpointLimit >= 0 else { throw .negativeCheckpointLimit(checkpointLimit) }
        guard !overflowOperation.isEmpty else { throw .emptyOverflowName }
        self.operationLimit = operationLimit
        self.overflowOperation = overflowOperation
        self.checkpointLimit = checkpointLimit
        self.slowThresholds = slowThresholds
    }
}
