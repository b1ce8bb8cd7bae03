import Synchronization

/// Objects registered to be called on later (recorders flushed before a scrape), held weakly:
/// registering keeps nothing alive, and one that is released is forgotten at the next `live()`.
/// `Element` is a class or a class-bound protocol (`any PendingMetrics`).
final class WeakRegistry<Element: Sendable>: Sendable {
    private struct Entry {
        weak var object: AnyObject?
    }

    private let entries = Mutex<[Entry]>([])

    func add(_ element: Element) {
        assert(type(of: element as Any) is AnyObject.Type, "WeakRegistry holds objects only")
        entries.withLock { $0.append(Entry(object: element as AnyObject)) }
    }

    /// The registered objects still alive; the others are dropped from the registry.
    func live() -> [Element] {
        entries.withLock { entries in
            entries.removeAll { $0.object == nil }
            return entries.compactMap { $0.object as? Element }
        }
    }

    /// Entries held, including released objects not yet dropped by `live()`.
    var count: Int { entries.withLock { $0.count } }
}
