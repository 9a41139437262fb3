import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

/// Runs a ``Job`` across the ranks of a ``Session``.
///
/// The item space is split into contiguous blocks, one per rank. Each rank produces its items in batches on a
/// compute thread; while it computes the next batch, the main thread writes the last one collectively into
/// `<out>/<job>.h5.partial`, rank 0 appends the batch's metadata rows to a spool file, the items are marked in
/// `/progress/done`, and the file is flushed. When every item is
/// done, the runner computes the declared global statistics, records provenance, writes `meta.csv` in item order
/// and renames the file to `<job>.h5`. A stop signal ends the run between batches with the `.partial` file left
/// for `--resume`, which computes only the missing items, with any number of ranks.
public struct Runner: Sendable {
    let session: Session
    let options: RunOptions
    let logger: Logger

    /// A runner for `session` with `options`, logging to `logger`; not collective (``run(_:)`` is).
    public init(session: Session, options: RunOptions, logger: Logger) {
        self.session = session
        self.options = options
        self.logger = logger
    }

    var communicator: Communicator { session.communicator }

    /// Runs `job` to completion, or until a stop signal.
    /// - Throws: ``BatchError``; `isAgreed` tells whether every rank threw it.
    /// - Important: Collective.
    public func run<J: Job>(_ job: J) throws -> RunSummary {
        try Self.validate(job, options: options)
        try checkResources(job)
        let paths = OutputPaths(directory: options.outputDirectory, job: job.name,
                                metadataFileName: options.metadataFileName)
        let started = Date()
        let t0 = MPIRuntime.wallTime()

        // Rank 0 inspects the file system and everyone follows its decision.
        let decision = Decision(session.broadcast(session.isRoot ? prepare(paths).encoded : ""))
        // Every rank learns rank 0's lock, so that whichever rank ends the job can release it.
        if let holder = LockHolder(text: session.broadcast(session.isRoot ? session.heldLockText : "")) {
            session.hold(OutputLock(directory: paths.directory, holder: holder))
        }
        switch decision {
        case .failed(let message):
            throw BatchError(.output, message, agreed: true)
        case .complete:
            if job.itemKeys != nil { try verifyComplete(job, paths: paths) }
            logger.info("\(paths.final) is already complete; nothing to do")
            return RunSummary(status: .alreadyComplete, itemCount: job.itemCount, itemsComputed: 0, seconds: 0,
                              outputFile: paths.final, metadataFile: paths.metadata, statistics: [:])
        case .fresh:
            break
        case .resume:
            try verifyResumable(job, paths: paths)
        case .redo:
            try reopenForRedo(job, paths: paths)
        case .update:
            let plan = try planUpdate(job, paths: paths)
            if plan.storedCount == job.itemCount && plan.places.enumerated().allSatisfy({ $0.element == $0.offset }) {
                logger.info("\(paths.final) holds all \(job.itemCount) items; nothing to update")
                return RunSummary(status: .alreadyComplete, itemCount: job.itemCount, itemsComputed: 0, seconds: 0,
                                  outputFile: paths.final, metadataFile: paths.metadata, statistics: [:])
            }
            try buildUpdate(job, paths: paths, places: plan.places, storedCount: plan.storedCount, started: started)
        }
        let resuming = decision != .fresh

        let file: HDF5.File
        let outputs: [Dataset]
        let done: Dataset
        let itemSummaries: [Dataset]
        do {
            if resuming {
                // Checked by verifyResumable (or made by reopenForRedo) before it was opened here.
                file = try HDF5.File.open(paths.partial, writable: true, communicator: communicator)
                outputs = try job.outputs.map { spec in
                    let dataset = try file.openDataset("/\(job.name)/\(spec.name)")
                    dataset.independentData = Self.writesIndependently(spec, options: options)
                    return dataset
                }
                done = try file.openDataset("/progress/done")
                itemSummaries = try job.statistics.filter(\.byItem).map {
                    try file.openDataset(Self.itemSummariesPath($0))
                }
            } else {
                file = try HDF5.File.create(paths.partial, communicator: communicator)
                (outputs, done) = try createLayout(file, job: job, started: started)
                itemSummaries = try createItemSummaries(file, job: job)
            }
        } catch let error as BatchError {
            throw error
        } catch {
            throw BatchError(.io, "\(error)\(fullDiskNote())", agreed: false)
        }

        // Which items are missing: not flagged done, or without a metadata row (rank 0 decides).
        let spool = session.isRoot ? try MetadataSpool(path: paths.spool, truncate: !resuming) : nil
        // Rows of ranks that wrote on their own: an interrupted run's are kept, a fresh run starts without any.
        if let spool {
            if resuming {
                try spool.absorbRankSpools()
            } else {
                for file in MetadataSpool.rankSpools(of: paths.spool) { Files.remove(file) }
            }
        }
        var pendingMask = [UInt8](repeating: 1, count: job.itemCount)
        if resuming {
            if let spool {
                let flags: [UInt8] = try wrapIO { try done.read(UInt8.self) }
                let present = try spool.itemsPresent(itemCount: job.itemCount)
                for i in 0..<job.itemCount where flags[i] == 1 && present[i] { pendingMask[i] = 0 }
            }
            pendingMask = communicator.broadcast(bytes: pendingMask)
        }
        let pending = pendingMask.indices.filter { pendingMask[$0] == 1 }
        if let redo = options.redo {
            logger.info("recomputing \(redo.count) of \(job.itemCount) items of \(paths.final) on \(session.size) ranks")
        } else if decision == .update {
            logger.info("computing \(pending.count) new items on \(session.size) ranks")
        } else if resuming {
            let message = "resuming \(paths.partial): \(job.itemCount - pending.count) of \(job.itemCount) items "
                + "done, \(pending.count) to compute on \(session.size) ranks"
            logger.info("\(message)")
        } else {
            let message = "\(job.name): \(job.itemCount) items on \(session.size) ranks, batches of "
                + "\(options.batchSize), \(options.schedule) schedule"
            logger.info("\(message)")
        }

        let loop = try produceAll(job, pending: pending, target: LoopTarget(
            outputs: outputs, done: done, itemSummaries: itemSummaries, file: file, spool: spool,
            spoolPath: paths.spool, pendingCount: pending.count))
        let finished = Date()

        if let signal = loop.stoppedBy {
            try wrapIO {
                try recordRun(file, started: started, finished: finished, computed: loop.computed, status: "interrupted")
                try file.close()
            }
            spool?.close()
            let message = "stopped by \(StopSignal.name(signal)) with \(job.itemCount - pending.count + loop.computed) "
                + "of \(job.itemCount) items done; run again with --resume to continue \(paths.partial)"
            logger.warning("\(message)")
            return RunSummary(status: .interrupted(signal: signal), itemCount: job.itemCount,
                              itemsComputed: loop.computed, seconds: MPIRuntime.wallTime() - t0,
                              outputFile: paths.partial, metadataFile: paths.metadata, statistics: [:])
        }

        let statistics = try wrapIO { try computeStatistics(job, file: file) }
        try finishAll(job, outputs: outputs, statistics: statistics)
        try wrapIO {
            try recordRun(file, started: started, finished: Date(), computed: loop.computed, status: "complete")
            try file.close()
        }

        // Rank 0 publishes the outputs under their final names; everyone learns whether that worked.
        try onRoot(.io) {
            guard let spool else { return }
            try spool.writeCSV(to: paths.metadata, header: job.metadataColumns, itemCount: job.itemCount)
            spool.close()
            Files.remove(paths.spool)
            try Files.rename(paths.partial, to: paths.final)
        }

        let seconds = MPIRuntime.wallTime() - t0
        let message = "wrote \(paths.final) and \(paths.metadata): \(job.itemCount) items "
            + "(\(loop.computed) computed in \(Progress.fixed(seconds, 2)) s)"
        logger.info("\(message)")
        if loop.computed > 0 { logger.info("main loop on rank \(session.rank): \(loop.phases)") }
        return RunSummary(status: .complete, itemCount: job.itemCount, itemsComputed: loop.computed, seconds: seconds,
                          outputFile: paths.final, metadataFile: paths.metadata, statistics: statistics,
                          phases: loop.computed > 0 ? loop.phases : nil)
    }

    /// Runs `body`, reporting any error but a ``BatchError`` as an I/O error of this rank.
    func wrapIO<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BatchError {
            throw error
        } catch {
            throw BatchError(.io, "rank \(session.rank): \(error)\(fullDiskNote())", agreed: false)
        }
    }
}
