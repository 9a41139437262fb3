import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

extension Runner {
    struct LoopResult {
        var computed: Int
        var stoppedBy: Int32?
        var phases = LoopPhases()
    }

    /// Produces and writes this rank's items round by round. A ``SourcedJob``'s inputs are read by the runner.
    /// - Important: Collective.
    func produceAll<J: Job>(_ job: J, items mine: [Int], pendingCount: Int, outputs: [Dataset],
                            done: Dataset, itemSummaries: [Dataset], file: HDF5.File,
                            spool: MetadataSpool?) throws -> LoopResult {
        let target = LoopTarget(outputs: outputs, done: done, itemSummaries: itemSummaries, file: file, spool: spool,
                                pendingCount: pendingCount)
        if let sourced = job as? any SourcedJob { return try produceSourced(sourced, items: mine, target: target) }
        return try rounds(job, items: mine, target: target, reading: Reading<NoInput>?.none) { contexts, _ in
            try job.produce(batch: contexts)
        }
    }

    /// Where the loop writes.
    struct LoopTarget {
        var outputs: [Dataset]
        var done: Dataset
        var itemSummaries: [Dataset]
        var file: HDF5.File
        var spool: MetadataSpool?
        var pendingCount: Int
    }

    /// The input of a job that reads nothing.
    struct NoInput: Sendable {}

    /// How a round's inputs are read: a fresh block, and the reading into one.
    struct Reading<Block: Sendable> {
        var makeBlock: () -> Block
        var read: @Sendable ([Int], inout Block) throws -> Void
    }

    private func produceSourced<S: SourcedJob>(_ job: S, items mine: [Int], target: LoopTarget) throws -> LoopResult {
        let source = job.source
        let reading = Reading<S.Source.Block>(makeBlock: source.makeBlock,
                                              read: { items, block in try source.read(items: items, into: &block) })
        return try rounds(job, items: mine, target: target, reading: reading) { contexts, block in
            // The loop reads a block for every round when it has a reading.
            guard let block else { preconditionFailure("a sourced round without its input block") }
            return try job.produce(batch: contexts, input: block)
        }
    }

    /// The loop: round r + 2's inputs are read on the reader thread and round r + 1 computed on the compute thread
    /// while the main thread writes round r collectively (values, per-item summaries, metadata rows, done flags,
    /// flush), so that neither reading nor writing stalls computing. Two input blocks and two batch buffers take
    /// turns and keep their memory. Every rank takes part in every round, with or without items. A stop request is
    /// agreed on between rounds; the round already computed is written first.
    private func rounds<J: Job, Block: Sendable>(
        _ job: J, items mine: [Int], target: LoopTarget, reading: Reading<Block>?,
        produce: @escaping @Sendable ([ItemContext], Block?) throws -> [ItemOutput]) throws -> LoopResult {
        let batch = options.batchSize
        let localRounds = (mine.count + batch - 1) / batch
        let rounds = communicator.allreduce(localRounds, .max)
        var doneGlobal = job.itemCount - target.pendingCount
        var progress = Progress(total: job.itemCount, alreadyDone: doneGlobal,
                                enabled: session.isRoot && options.showProgress, now: MPIRuntime.wallTime())
        var computed = 0
        let overlapping = overlaps()
        let reader = BackgroundStage<Block>("read", overlaps: overlapping)
        let compute = BackgroundStage<(round: ProducedRound, block: Block?)>("compute", overlaps: overlapping)
        var phases = LoopPhases()
        var spareBuffers = [BatchBuffers(specs: job.outputs), BatchBuffers(specs: job.outputs)]
        var spareBlocks = reading.map { [$0.makeBlock(), $0.makeBlock()] } ?? []
        var readInFlight = false
        func slice(_ round: Int) -> [Int] {
            Array(mine[min(mine.count, round * batch)..<min(mine.count, (round + 1) * batch)])
        }
        func startRead(_ round: Int) {
            guard let reading, round < rounds else { return }
            let items = slice(round), block = Handoff(spareBlocks.removeLast()), read = reading.read
            reader.start { [self] in
                var block = block.take()
                do { try read(items, &block) } catch { throw itemError(error, items: items) }
                return block
            }
            readInFlight = true
        }
        func readBlock() throws -> Block? {
            guard reading != nil else { return nil }
            let started = MPIRuntime.wallTime()
            readInFlight = false  // waited for below, whether it succeeded or threw
            let block = try reader.wait()
            phases.wait += MPIRuntime.wallTime() - started
            phases.read += block.seconds
            return block.value
        }
        func startCompute(_ round: Int, input: Block?) {
            let items = slice(round), buffers = Handoff(spareBuffers.removeLast()), input = Handoff(input)
            compute.start { [self] in
                let block = input.take()
                return (try produceRound(job, items: items, input: block, into: buffers.take(), produce: produce), block)
            }
        }
        // A read still running when the loop ends early is waited for (its thread must not outlive the run).
        defer { if readInFlight { _ = try? reader.wait() } }

        // Agree on a stop request before any work, so that all ranks leave together.
        if let stop = agreedStop() { return LoopResult(computed: 0, stoppedBy: stop) }
        let loopStarted = MPIRuntime.wallTime()
        if rounds > 0 {
            startRead(0)
            let first = try readBlock()
            startRead(1)
            startCompute(0, input: first)
        }
        for round in 0..<rounds {
            let waited = MPIRuntime.wallTime()
            let result = try compute.wait()
            phases.wait += MPIRuntime.wallTime() - waited
            phases.compute += result.seconds
            let produced = result.value.round
            if let block = result.value.block { spareBlocks.append(block) }
            let stop = agreedStop()
            // Without overlap this reads and computes the next rounds here, before writing this one.
            if stop == nil && round + 1 < rounds {
                let next = try readBlock()
                startRead(round + 2)
                startCompute(round + 1, input: next)
            }
            let writing = MPIRuntime.wallTime()

            let runs = Partition.runs(of: produced.items)
            try wrapIO {
                for index in target.outputs.indices {
                    try produced.buffers.write(output: index, to: target.outputs[index], rows: runs)
                }
                for (dataset, packed) in zip(target.itemSummaries, produced.summaries) {
                    try dataset.write(packed, rows: runs)
                }
            }
            let gathered = communicator.gather(bytes: MetadataSpool.encode(items: produced.items, rows: produced.rows))
            if let spool = target.spool, let gathered { try spool.append(gathered.flatMap { $0 }) }
            try wrapIO {
                try target.done.write([UInt8](repeating: 1, count: produced.items.count), rows: runs)
                try target.file.flush()
            }
            spareBuffers.append(produced.buffers)
            phases.write += MPIRuntime.wallTime() - writing
            computed += communicator.allreduce(produced.items.count, .sum)
            doneGlobal = job.itemCount - target.pendingCount + computed
            progress.update(done: doneGlobal, now: MPIRuntime.wallTime(), force: round == rounds - 1 || stop != nil)
            phases.loop = MPIRuntime.wallTime() - loopStarted
            if let stop, round + 1 < rounds { return LoopResult(computed: computed, stoppedBy: stop, phases: phases) }
        }
        return LoopResult(computed: computed, stoppedBy: nil, phases: phases)
    }

    /// Whether this run computes while it writes (``RunOptions/overlap``; automatic: two CPUs for this rank and two
    /// per rank on its node).
    /// - Important: Collective when automatic (it counts the ranks on the node).
    func overlaps() -> Bool {
        options.overlap ?? (Processors.available >= 2 && Processors.online >= 2 * communicator.nodeLocalSize())
    }

    /// A job's error while reading or producing `items`, as the run's error naming the item (or items) and rank.
    func itemError(_ error: any Error, items: [Int]) -> BatchError {
        if let failure = error as? ItemFailure {
            return BatchError(.item(failure.item), "item \(failure.item) failed on rank \(session.rank): "
                              + "\(failure.underlying)", agreed: false)
        }
        let first = items.first ?? 0
        return BatchError(.item(first), "items \(first)...\(items.last ?? first) failed on rank \(session.rank): "
                          + "\(error)", agreed: false)
    }

    /// The signal any rank received, agreed on by all.
    /// - Important: Collective.
    private func agreedStop() -> Int32? {
        let stop = communicator.allreduce(StopSignal.received ?? 0, .max)
        return stop == 0 ? nil : stop
    }

    /// Produces `items` and packs them into `buffers` (emptied first, their memory kept): the job's outputs
    /// checked against its declarations, each item's summaries for the statistics computed by item, its metadata
    /// row, and its files written. Runs on the compute thread: no MPI here.
    func produceRound<J: Job, Block: Sendable>(
        _ job: J, items: [Int], input: Block?, into buffers: consuming BatchBuffers,
        produce: @Sendable ([ItemContext], Block?) throws -> [ItemOutput]) throws -> ProducedRound {
        let summarised = job.statistics.filter(\.byItem)
        var round = ProducedRound(items: items, buffers: consume buffers,
                                  summaries: Array(repeating: [], count: summarised.count), rows: [])
        round.buffers.removeAll()
        round.rows.reserveCapacity(items.count)
        let contexts = items.map { ItemContext(seed: options.seed, item: $0, timestamp: options.timestamp) }
        let produced: [ItemOutput]
        do {
            produced = contexts.isEmpty ? [] : try produce(contexts, input)
        } catch {
            throw itemError(error, items: items)
        }
        guard produced.count == items.count else {
            throw BatchError(.item(items.first ?? 0), "a batch of \(items.count) items gave \(produced.count) "
                             + "outputs", agreed: false)
        }
        for (item, output) in zip(items, produced) {
            guard output.metadata.count == job.metadataColumns.count else {
                throw BatchError(.item(item), "item \(item) gave \(output.metadata.count) metadata fields for "
                                 + "\(job.metadataColumns.count) columns", agreed: false)
            }
            try round.buffers.append(output, item: item)
            for (index, spec) in summarised.enumerated() {
                // Validated by `append`: the output exists and holds numbers.
                let values = output.values[spec.dataset]!
                round.summaries[index] += RunningStatistics.summary(of: values, transform: spec.transform)!.packed
            }
            round.rows.append(output.metadata)
            try writeFiles(output.files, item: item)
        }
        return round
    }
}
