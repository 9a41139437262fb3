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

    /// Produces and writes this rank's items round by round: round r + 1 is computed on the ``ComputeThread``
    /// while the main thread writes round r collectively (values, per-item summaries, metadata rows, done flags,
    /// flush), so that writing does not stall computing. Every rank takes part in every round, with or without
    /// items. A stop request is agreed on between rounds; the round already computed is written first.
    func produceAll<J: Job>(_ job: J, items mine: [Int], pendingCount: Int, outputs: [Dataset],
                            done: Dataset, itemSummaries: [Dataset], file: HDF5.File,
                            spool: MetadataSpool?) throws -> LoopResult {
        let batch = options.batchSize
        let localRounds = (mine.count + batch - 1) / batch
        let rounds = communicator.allreduce(localRounds, .max)
        var doneGlobal = job.itemCount - pendingCount
        var progress = Progress(total: job.itemCount, alreadyDone: doneGlobal,
                                enabled: session.isRoot && options.showProgress, now: MPIRuntime.wallTime())
        var computed = 0
        let compute = ComputeThread(overlaps: overlaps)
        var phases = LoopPhases()
        // Two rounds' buffers take turns: one being filled, one being written; each keeps its memory.
        var spare = [BatchBuffers(specs: job.outputs), BatchBuffers(specs: job.outputs)]
        func slice(_ round: Int) -> [Int] {
            Array(mine[min(mine.count, round * batch)..<min(mine.count, (round + 1) * batch)])
        }
        func start(_ round: Int) {
            let items = slice(round), buffers = spare.removeLast()
            compute.start { [self] in try produceRound(job, items: items, into: buffers) }
        }

        // Agree on a stop request before any work, so that all ranks leave together.
        if let stop = agreedStop() { return LoopResult(computed: 0, stoppedBy: stop) }
        let loopStarted = MPIRuntime.wallTime()
        if rounds > 0 { start(0) }
        for round in 0..<rounds {
            let waited = MPIRuntime.wallTime()
            let produced = try compute.wait()
            phases.wait += MPIRuntime.wallTime() - waited
            phases.compute += produced.seconds
            let stop = agreedStop()
            // Without overlap this computes the next round here, before writing this one.
            if stop == nil && round + 1 < rounds { start(round + 1) }
            let writing = MPIRuntime.wallTime()

            let runs = Partition.runs(of: produced.items)
            try wrapIO {
                for index in outputs.indices {
                    try produced.buffers.write(output: index, to: outputs[index], rows: runs)
                }
                for (dataset, packed) in zip(itemSummaries, produced.summaries) { try dataset.write(packed, rows: runs) }
            }
            let gathered = communicator.gather(bytes: MetadataSpool.encode(items: produced.items, rows: produced.rows))
            if let spool, let gathered { try spool.append(gathered.flatMap { $0 }) }
            try wrapIO {
                try done.write([UInt8](repeating: 1, count: produced.items.count), rows: runs)
                try file.flush()
            }
            spare.append(produced.buffers)
            phases.write += MPIRuntime.wallTime() - writing
            computed += communicator.allreduce(produced.items.count, .sum)
            doneGlobal = job.itemCount - pendingCount + computed
            progress.update(done: doneGlobal, now: MPIRuntime.wallTime(), force: round == rounds - 1 || stop != nil)
            phases.loop = MPIRuntime.wallTime() - loopStarted
            if let stop, round + 1 < rounds { return LoopResult(computed: computed, stoppedBy: stop, phases: phases) }
        }
        return LoopResult(computed: computed, stoppedBy: nil, phases: phases)
    }

    /// Whether this run computes while it writes (``RunOptions/overlap``; automatic: two CPUs for this rank and two
    /// per rank on its node).
    var overlaps: Bool {
        options.overlap ?? (Processors.available >= 2 && Processors.online >= 2 * communicator.nodeLocalSize())
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
    func produceRound<J: Job>(_ job: J, items: [Int], into buffers: BatchBuffers) throws -> ProducedRound {
        let summarised = job.statistics.filter(\.byItem)
        var round = ProducedRound(items: items, buffers: buffers, summaries: Array(repeating: [], count: summarised.count),
                                  rows: [])
        round.buffers.removeAll()
        round.rows.reserveCapacity(items.count)
        let contexts = items.map { ItemContext(seed: options.seed, item: $0, timestamp: options.timestamp) }
        let produced: [ItemOutput]
        do {
            produced = contexts.isEmpty ? [] : try job.produce(batch: contexts)
        } catch let failure as ItemFailure {
            throw BatchError(.item(failure.item), "item \(failure.item) failed on rank \(session.rank): "
                             + "\(failure.underlying)", agreed: false)
        } catch {
            let first = items.first ?? 0
            throw BatchError(.item(first), "items \(first)...\(items.last ?? first) failed on rank "
                             + "\(session.rank): \(error)", agreed: false)
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
