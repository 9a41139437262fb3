import MPI

/// One rank's stream of batches: asks the ``BatchDispenser`` for them in turn, reads the next batch's inputs on the
/// reader thread and computes a batch on the compute thread while the main thread writes the last. Two input
/// blocks take turns and keep their memory; a batch is produced into the ``ProducedRound`` the loop hands it.
/// Main thread only (the stages' work never calls MPI).
final class BatchPipeline<Block: Sendable> {
    /// How a batch's inputs are read: a fresh block, and the reading into one.
    struct Reading {
        var makeBlock: () -> Block
        var read: @Sendable ([Int], inout Block) throws -> Void
    }

    /// Produces a batch's items (with their input block) into a round.
    typealias Produce = @Sendable (_ items: [Int], _ input: Block?, _ into: consuming ProducedRound) throws -> ProducedRound

    let dispenser: BatchDispenser
    /// The batch whose inputs are being read (handed to this rank, not yet computing).
    private(set) var readAhead: Int?
    /// The batch being computed.
    private(set) var computing: Int?
    /// Seconds per phase, as the loop logs them.
    var phases = LoopPhases()
    var profile: LoopProfile

    private let pending: [Int]
    private let layout: BatchLayout
    private let reading: Reading?
    private let produce: Produce
    private let failure: @Sendable (any Error, [Int]) -> any Error
    private let reader: BackgroundStage<Block>
    private let compute: BackgroundStage<(round: ProducedRound, block: Block?)>
    private var spareBlocks: [Block]
    private var readInFlight = false
    private var lastRead = 0.0

    /// A pipeline over the batches of `pending` that `layout` cuts; `failure` names the items of a failed read.
    init(pending: [Int], layout: BatchLayout, dispenser: BatchDispenser, reading: Reading?, overlaps: Bool,
         profile: LoopProfile, failure: @escaping @Sendable (any Error, [Int]) -> any Error, produce: @escaping Produce) {
        self.pending = pending
        self.layout = layout
        self.dispenser = dispenser
        self.reading = reading
        self.profile = profile
        self.failure = failure
        self.produce = produce
        reader = BackgroundStage("read", overlaps: overlaps)
        compute = BackgroundStage("compute", overlaps: overlaps)
        spareBlocks = reading.map { [$0.makeBlock(), $0.makeBlock()] } ?? []
    }

    /// About how many of the pending items have been handed out to all ranks (for progress on rank 0).
    func handedOutItems() -> Int {
        let handed = dispenser.handedOut()
        return handed < layout.count ? layout.positions(handed).lowerBound : pending.count
    }

    /// The items of batch `index`.
    func items(of index: Int) -> [Int] {
        Array(pending[layout.positions(index)])
    }

    /// Asks for this rank's next batch and starts reading its inputs.
    func fetchAndRead() {
        readAhead = dispenser.next()
        guard let reading, let index = readAhead else { return }
        let items = items(of: index), block = Handoff(spareBlocks.removeLast()), read = reading.read
        let failure = failure
        reader.start {
            var block = block.take()
            do { try read(items, &block) } catch { throw failure(error, items) }
            return block
        }
        readInFlight = true
    }

    /// Starts computing the batch read ahead into `round(batch)`, and asks for the next; nothing when none is left.
    func advance(into round: (Int) -> ProducedRound) throws {
        guard let index = readAhead else { return }
        var input: Block?
        if reading != nil {
            let started = MPIRuntime.wallTime()
            readInFlight = false  // waited for here, whether it succeeded or threw
            let block = try reader.wait()
            phases.wait += MPIRuntime.wallTime() - started
            phases.read += block.seconds
            lastRead = block.seconds
            input = block.value
        }
        let items = items(of: index), accumulator = Handoff(round(index)), handed = Handoff(input)
        let produce = produce
        computing = index
        compute.start {
            let block = handed.take()
            return (try produce(items, block, accumulator.take()), block)
        }
        fetchAndRead()
    }

    /// Waits for the batch being computed; returns its index and the round it was produced into.
    func collect() throws -> (batch: Int, round: ProducedRound)? {
        guard let index = computing else { return nil }
        let waited = MPIRuntime.wallTime()
        computing = nil
        let result = try compute.wait()
        phases.wait += MPIRuntime.wallTime() - waited
        phases.compute += result.seconds
        let items = items(of: index)
        profile.batch(index, first: items.first ?? 0, count: items.count, read: lastRead, compute: result.seconds)
        if let block = result.value.block { spareBlocks.append(block) }
        return (index, result.value.round)
    }

    /// Waits for work still in flight, discarding it (a stopped or failed loop's threads must not outlive it).
    func drain() {
        if computing != nil { _ = try? compute.wait() }
        computing = nil
        if readInFlight { _ = try? reader.wait() }
        readInFlight = false
    }
}
