import Synchronization

/// Whether the process is draining for shutdown: readiness reads it so the load balancer stops
/// sending work the moment shutdown begins, before in-flight requests finish.
public final class DrainState: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    public func beginDraining() {
        draining.store(true, ordering: .releasing)
    }
}
