import BulwarkOps
import Testing

@Suite("DrainState")
struct DrainStateTests {
    @Test func startsNotDraining() {
        #expect(!DrainState().isDraining)
    }

    @Test func beginDrainingIsSticky() {
        let drain = DrainState()
        drain.beginDraining()
        #expect(drain.isDraining)
        drain.beginDraining()
        #expect(drain.isDraining)
    }

    @Test func instancesAreIndependent() {
        let a = DrainState()
        let b = DrainState()
        a.beginDraining()
        #expect(a.isDraining)
        #expect(!b.isDraining)
    }

    @Test func visibleFromOtherTasks() async {
        let drain = DrainState()
        await Task.detached { drain.beginDraining() }.value
        let seen = await Task.detached { drain.isDraining }.value
        #expect(seen)
    }
}
