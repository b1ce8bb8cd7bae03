/// Something the deadline scheduler can time out. It keeps its own position in the heap so that
/// withdrawing it when the work finishes first costs O(log n), with no search.
protocol DeadlineWaiter: AnyObject, Sendable {
    /// Nanoseconds on the owning `TimeSource`.
    var deadline: Int64 { get }
    /// The heap slot, read and written only under the scheduler's lock (the storage is atomic only
    /// so the type stays `Sendable` without unchecked escapes).
    func loadHeapSlot() -> Int
    func storeHeapSlot(_ slot: Int)
    /// Called once when the deadline passes while the waiter is still queued.
    func expire()
}

/// A binary min-heap of waiters ordered by deadline; each waiter records its index.
struct DeadlineHeap {
    /// Slot value of a waiter that is not in the heap (never queued, or already taken out).
    static let notQueued = -1
    /// Slot value of a waiter withdrawn before it was queued: a late `insert` must skip it.
    static let withdrawn = -2

    private struct Entry {
        let deadline: Int64
        let waiter: any DeadlineWaiter
    }

    private var entries: [Entry] = []

    var count: Int { entries.count }

    /// The deadline that must be served first.
    var earliest: Int64? { entries.first?.deadline }

    /// Adds `waiter`; returns false (and adds nothing) when it was already withdrawn.
    mutating func insert(_ waiter: any DeadlineWaiter) -> Bool {
        guard waiter.loadHeapSlot() == Self.notQueued else { return false }
        entries.append(Entry(deadline: waiter.deadline, waiter: waiter))
        siftUp(from: entries.count - 1)
        return true
    }

    /// Takes `waiter` out; if it was never queued, marks it so a later `insert` skips it.
    mutating func withdraw(_ waiter: any DeadlineWaiter) {
        let slot = waiter.loadHeapSlot()
        guard slot >= 0 else {
            if slot == Self.notQueued { waiter.storeHeapSlot(Self.withdrawn) }
            return
        }
        remove(at: slot)
        waiter.storeHeapSlot(Self.withdrawn)
    }

    /// Takes out the waiter with the earliest deadline.
    mutating func removeEarliest() -> (any DeadlineWaiter)? {
        guard let first = entries.first else { return nil }
        remove(at: 0)
        first.waiter.storeHeapSlot(Self.notQueued)
        return first.waiter
    }

    private mutating func remove(at index: Int) {
        let last = entries.count - 1
        if index != last {
            entries.swapAt(index, last)
            entries.removeLast()
            place(at: index)
            // The moved entry may belong above or below its new position.
            if index > 0 && entries[index].deadline < entries[(index - 1) / 2].deadline {
                siftUp(from: index)
            } else {
                siftDown(from: index)
            }
        } else {
            entries.removeLast()
        }
    }

    private mutating func siftUp(from start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard entries[index].deadline < entries[parent].deadline else { break }
            entries.swapAt(index, parent)
            place(at: index)
            index = parent
        }
        place(at: index)
    }

    private mutating func siftDown(from start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < entries.count else { break }
            let right = left + 1
            let child = right < entries.count && entries[right].deadline < entries[left].deadline ? right : left
            guard entries[child].deadline < entries[index].deadline else { break }
            entries.swapAt(index, child)
            place(at: index)
            index = child
        }
        place(at: index)
    }

    private func place(at index: Int) {
        entries[index].waiter.storeHeapSlot(index)
    }
}
