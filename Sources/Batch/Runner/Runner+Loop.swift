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

    /// Where the loop writes.
    struct LoopTarget {
        var outputs: [Dataset]
        var done: Dataset
        var itemSummaries: [Dataset]
        var file: HDF5.File
        /// Rank 0's metadata spool.
        var spool: MetadataSpool?
        /// The spool's path (ranks writing on their own keep theirs beside it).
        var spoolPath: String
        var pendingCount: Int
    }

    /// The most a rank keeps of its computed values before writing them, whatever `batchesPerWrite` says.
    static let writeBytes = 32 << 20

    /// The input of a job that reads nothing.
    struct NoInput: Sendable {}

    /// Produces and writes the pending items (ascending): the batches this rank is handed. A ``SourcedJob``'s
    /// inputs are read by the runner.
    /// - Important: Collective.
    func produceAll<J: Job>(_ job: J, pending: [Int], target: LoopTarget) throws -> LoopResult {
        if let sourced = job as? any SourcedJob { return try produceSourced(sourced, pending: pending, target: target) }
        return try loop(job, pending: pending, target: target, reading: BatchPipeline<NoInput>.Reading?.none) { contexts, _ in
            try job.produce(batch: contexts)
        }
    }

    private func produceSourced<S: SourcedJob>(_ job: S, pending: [Int], target: LoopTarget) throws -> LoopResult {
        let source = job.source
        let reading = BatchPipeline<S.Source.Block>.Reading(
            makeBlock: source.makeBlock, read: { items, block in try source.read(items: items, into: &block) })
        return try loop(job, pending: pending, target: target, reading: reading) { contexts, block in
            // The pipeline reads a block for every batch when it has a reading.
            guard let block else { preconditionFailure("a sourced batch without its input block") }
            return try job.produce(batch: contexts, input: block)
        }
    }

    /// Cuts the pending items into batches handed out by a ``BatchDispenser`` under the run's ``Schedule`` and
    /// runs them through a ``BatchPipeline``: uncompressed outputs are written by each rank on its own as each
    /// batch is done (no rank waits for another until the end), compressed ones in collective write rounds.
    private func loop<J: Job, Block: Sendable>(
        _ job: J, pending: [Int], target: LoopTarget, reading: BatchPipeline<Block>.Reading?,
        produce: @escaping @Sendable ([ItemContext], Block?) throws -> [ItemOutput]) throws -> LoopResult {
        let layout = BatchLayout(items: pending.count, batchSize: options.batchSize, ranks: session.size)
        let dispenser = BatchDispenser(schedule: options.schedule, count: layout.count, communicator: communicator)
        let pipeline = BatchPipeline<Block>(
            pending: pending, layout: layout, dispenser: dispenser, reading: reading,
            overlaps: overlaps(), profile: LoopProfile(enabled: options.profilePath != nil),
            failure: { [self] error, items in itemError(error, items: items) },
            produce: { [self] items, block, round in
                try produceBatch(job, items: items, input: block, into: round, produce: produce)
            })
        defer { pipeline.drain() }
        // Agree on a stop request before any work, so that all ranks leave together.
        if let stop = agreedStop() {
            dispenser.close()
            return LoopResult(computed: 0, stoppedBy: stop)
        }
        var result = options.compression == nil
            ? try independentBatches(job, pipeline: pipeline, target: target)
            : try collectiveRounds(job, pipeline: pipeline, target: target)
        dispenser.close()
        result.phases = pipeline.phases
        try pipeline.profile.save(to: options.profilePath, communicator: communicator, phases: pipeline.phases)
        return result
    }

    /// Each rank writes what it computed every `batchesPerWrite` of its batches (or sooner, at 32 MiB), with
    /// independent HDF5 writes (values, per-item summaries, done flags) and its metadata rows in its own spool; the
    /// next batch is computed meanwhile. A stop request stops the dispenser for every rank. At the end
    /// the ranks meet once: the spools go into rank 0's, and the file is flushed.
    /// - Important: Collective (at the start and the end only).
    private func independentBatches<J: Job, Block: Sendable>(_ job: J, pipeline: BatchPipeline<Block>,
                                                             target: LoopTarget) throws -> LoopResult {
        let datasets = target.outputs + target.itemSummaries + [target.done]
        for dataset in datasets { dataset.collectiveWrites = false }
        defer { for dataset in datasets { dataset.collectiveWrites = true } }
        let rankSpool = try MetadataSpool(path: MetadataSpool.rankPath(target.spoolPath, rank: session.rank),
                                          truncate: true)
        // The file's structure goes to storage now: later writes touch raw data only (storage is allocated at
        // creation), so a run killed at any point leaves a file `--resume` can open.
        try wrapIO { try target.file.flush() }
        var progress = Progress(total: job.itemCount, alreadyDone: job.itemCount - target.pendingCount,
                                enabled: session.isRoot && options.showProgress, now: MPIRuntime.wallTime(),
                                logInterval: options.progressInterval)
        var spare: [ProducedRound] = []
        var computed = 0, batches = 0
        // A rank writes every `batchesPerWrite` of its batches (fewer when they hold 32 MiB), in one call per dataset.
        let bytesPerItem = job.outputs.reduce(0) { $0 + $1.bytesPerItem }
        let loopStarted = MPIRuntime.wallTime()
        pipeline.fetchAndRead()
        try pipeline.advance { _ in spare.popLast() ?? ProducedRound(job) }
        while let (index, batch) = try pipeline.collect() {
            if StopSignal.received != nil { pipeline.dispenser.stopAll() }
            batches += 1
            let full = batches >= options.batchesPerWrite || batch.items.count * bytesPerItem >= Self.writeBytes
            guard full || pipeline.readAhead == nil else {
                // The next batch goes into the same round: nothing to write yet.
                try pipeline.advance { _ in batch }
                continue
            }
            try pipeline.advance { _ in spare.popLast() ?? ProducedRound(job) }
            let writing = MPIRuntime.wallTime()
            var produced = batch
            try writeValues(produced, to: target)
            try rankSpool.append(MetadataSpool.encode(items: produced.items, rows: produced.rows))
            try wrapIO { try target.done.write([UInt8](repeating: 1, count: produced.items.count),
                                               rows: Partition.runs(of: produced.items)) }
            computed += produced.items.count
            let seconds = MPIRuntime.wallTime() - writing
            pipeline.phases.write += seconds
            pipeline.profile.write(index, items: produced.items.count, seconds: seconds)
            produced.removeAll()
            spare.append(produced)
            batches = 0
            if session.isRoot {
                progress.update(done: job.itemCount - target.pendingCount + pipeline.handedOutItems(),
                                now: MPIRuntime.wallTime())
            }
        }
        rankSpool.close()
        pipeline.phases.loop = MPIRuntime.wallTime() - loopStarted
        // Every rank is done: one meeting for the total, the stop request, the spools and the flush.
        let total = communicator.allreduce(computed, .sum)
        let stop = agreedStop()
        communicator.barrier()
        if let spool = target.spool { try spool.absorbRankSpools() }
        try wrapIO { try target.file.flush() }
        progress.update(done: job.itemCount - target.pendingCount + total, now: MPIRuntime.wallTime(), force: true)
        return LoopResult(computed: total, stoppedBy: total < target.pendingCount ? stop : nil)
    }

    /// Compressed outputs, whose writes HDF5 makes collective: every `batchesPerWrite × ranks` batches handed out
    /// make a write round; once a rank has computed all its batches of round w it writes them in one collective
    /// call per dataset (their rows need not be contiguous), with per-item summaries, metadata rows (gathered to
    /// rank 0's spool), done flags and a flush. Every rank takes part in every round, with or without items. A stop
    /// request is agreed on at each round, after that round is written.
    /// - Important: Collective.
    private func collectiveRounds<J: Job, Block: Sendable>(_ job: J, pipeline: BatchPipeline<Block>,
                                                           target: LoopTarget) throws -> LoopResult {
        let batchCount = pipeline.dispenser.count
        let perWrite = max(1, options.batchesPerWrite) * session.size
        let writeCount = (batchCount + perWrite - 1) / perWrite
        var progress = Progress(total: job.itemCount, alreadyDone: job.itemCount - target.pendingCount,
                                enabled: session.isRoot && options.showProgress, now: MPIRuntime.wallTime(),
                                logInterval: options.progressInterval)
        // This rank's computed batches by write round, and emptied rounds kept for their memory.
        var rounds: [Int: ProducedRound] = [:]
        var spare: [ProducedRound] = []
        func accumulator(_ round: Int) -> ProducedRound {
            rounds.removeValue(forKey: round) ?? spare.popLast() ?? ProducedRound(job)
        }
        var computed = 0
        let loopStarted = MPIRuntime.wallTime()
        pipeline.fetchAndRead()
        try pipeline.advance { accumulator($0 / perWrite) }
        var round = 0
        while round < writeCount {
            if let (index, produced) = try pipeline.collect() {
                rounds[index / perWrite] = produced
                try pipeline.advance { accumulator($0 / perWrite) }
            }
            // This rank has computed all its batches of the round once its next one lies beyond.
            let outstanding = pipeline.computing ?? pipeline.readAhead ?? batchCount
            guard outstanding >= min(batchCount, (round + 1) * perWrite) else { continue }
            let stop = agreedStop()
            let writing = MPIRuntime.wallTime()
            var produced = accumulator(round)
            let runs = Partition.runs(of: produced.items)
            try writeValues(produced, to: target)
            let gathered = communicator.gather(bytes: MetadataSpool.encode(items: produced.items, rows: produced.rows))
            if let spool = target.spool, let gathered { try spool.append(gathered.flatMap { $0 }) }
            try wrapIO {
                try target.done.write([UInt8](repeating: 1, count: produced.items.count), rows: runs)
                try target.file.flush()
            }
            computed += communicator.allreduce(produced.items.count, .sum)
            let seconds = MPIRuntime.wallTime() - writing
            pipeline.phases.write += seconds
            pipeline.profile.write(round, items: produced.items.count, seconds: seconds)
            produced.removeAll()
            spare.append(produced)
            round += 1
            progress.update(done: job.itemCount - target.pendingCount + computed, now: MPIRuntime.wallTime(),
                            force: round == writeCount || stop != nil)
            pipeline.phases.loop = MPIRuntime.wallTime() - loopStarted
            if let stop, round < writeCount { return LoopResult(computed: computed, stoppedBy: stop) }
        }
        return LoopResult(computed: computed, stoppedBy: nil)
    }

    /// Writes a rank's produced values and per-item summaries to their rows (collective or independent, as the
    /// datasets are set).
    private func writeValues(_ produced: ProducedRound, to target: LoopTarget) throws {
        let runs = Partition.runs(of: produced.items)
        try wrapIO {
            for index in target.outputs.indices {
                try produced.buffers.write(output: index, to: target.outputs[index], rows: runs)
            }
            for (dataset, packed) in zip(target.itemSummaries, produced.summaries) {
                try dataset.write(packed, rows: runs)
            }
        }
    }
}
