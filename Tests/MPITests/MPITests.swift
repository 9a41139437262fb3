import MPI
import Testing

/// The MPI wrapper in a one-rank MPI singleton (the multi-rank behaviour is exercised by the mpirun tests).
/// On the main actor, like every suite that calls MPI: MPI is initialised FUNNELED (main thread only).
@MainActor @Suite(.serialized) struct MPITests {
    let world = MPIRuntime.start()

    @Test func singletonWorld() {
        #expect(world.rank == 0 && world.size == 1 && world.isRoot)
        #expect(world.nodeLocalSize() == 1)
        #expect(MPIRuntime.isInitialized)
    }

    @Test func collectivesOnOneRank() {
        #expect(world.allreduce(41, .sum) == 41)
        #expect(world.allreduce([3.5, -1], .max) == [3.5, -1])
        #expect(world.broadcast("provenance") == "provenance")
        #expect(world.allgather(Int32(7)) == [7])
        #expect(world.gather(bytes: [1, 2, 3]) == [[1, 2, 3]])
        #expect(world.allgather(bytes: [9, 8]) == [[9, 8]])
        #expect(world.allgather(bytes: []) == [[]])
    }

    @Test("the shared counter hands out values in order and can be read without advancing")
    func sharedCounter() {
        let counter = SharedCounter(communicator: world, initial: 5)
        #expect(counter.fetchAndAdd(1) == 5)
        #expect(counter.fetchAndAdd(1) == 6)
        #expect(counter.fetchAndAdd(0) == 7)
        #expect(counter.fetchAndAdd(10) == 7)
        #expect(counter.fetchAndAdd(0) == 17)
        counter.free()
    }

    @Test func wallClockAdvances() {
        let t0 = MPIRuntime.wallTime()
        var x = 0.0
        for i in 0..<100_000 { x += Double(i).squareRoot() }
        #expect(x > 0 && MPIRuntime.wallTime() >= t0)
    }
}
