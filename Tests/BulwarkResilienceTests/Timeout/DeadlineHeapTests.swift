@testable import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

/// A waiter that only records being expired.
final class ProbeWaiter: DeadlineWaiter {
    let deadline: Int64
    let id: Int
    private let slot = Atomic<Int>(DeadlineHeap.notQueued)
    private let expired = Atomic<Int>(0)

    init(id: Int, deadline: Int64) {
        self.id = id
        self.deadline = deadline
    }

    var expiredCount: Int { expired.load(ordering: .relaxed) }
    func loadHeapSlot() -> Int { slot.load(ordering: .relaxed) }
    func storeHeapSlot(_ slot: Int) { self.slot.store(slot, ordering: .relaxed) }
    func expire() { expired.add(1, ordering: .relaxed) }
}

@Suite struct DeadlineHeapTests {
    @Test func randomInsertsWithdrawalsAndPopsMatchASortedModel() {
        var generator = SplitMix64(seed: 0x7113_0E07)
        var heap = DeadlineHeap()
        var model: [ProbeWaiter] = []
        var nextID = 0
        for _ in 0..<20_000 {
            switch generator.next() % 3 {
            case 0:
                let waiter = ProbeWaiter(id: nextID, deadline: Int64(generator.next() % 1_000))
                nextID += 1
                let inserted = heap.insert(waiter)
                #expect(inserted)
                model.append(waiter)
            case 1 where !model.isEmpty:
                let victim = model.remove(at: Int(generator.next() % UInt64(model.count)))
                heap.withdraw(victim)
                #expect(victim.loadHeapSlot() == DeadlineHeap.withdrawn)
            default:
                let expected = model.map(\.deadline).min()
                #expect(heap.earliest == expected)
                guard let popped = heap.removeEarliest() as? ProbeWaiter else {
                    #expect(model.isEmpty)
                    continue
                }
                #expect(popped.deadline == expected)
                model.removeAll { $0 === popped }
            }
            #expect(heap.count == model.count)
        }
        // Every remaining slot points at the waiter that sits there.
        for waiter in model { #expect(waiter.loadHeapSlot() >= 0) }
    }

    @Test func aWaiterWithdrawnBeforeItWasQueuedIsNeverQueued() {
        var heap = DeadlineHeap()
        let waiter = ProbeWaiter(id: 0, deadline: 5)
        heap.withdraw(waiter)
        let inserted = heap.insert(waiter)
        #expect(!inserted)
        #expect(heap.count == 0)
    }
}
