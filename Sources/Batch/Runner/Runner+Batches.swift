import Core
import Foundation
import MPI
import POSIX

extension Runner {
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
    func agreedStop() -> Int32? {
        let stop = communicator.allreduce(StopSignal.received ?? 0, .max)
        return stop == 0 ? nil : stop
    }

    /// Produces `items` and appends them to `round` (a write round's batches so far on this rank): the job's
    /// outputs checked against its declarations, each item's summaries for the statistics computed by item, its
    /// metadata row, and its files written. Runs on the compute thread: no MPI here.
    func produceBatch<J: Job, Block: Sendable>(
        _ job: J, items: [Int], input: Block?, into round: consuming ProducedRound,
        produce: @Sendable ([ItemContext], Block?) throws -> [ItemOutput]) throws -> ProducedRound {
        let summarised = job.statistics.filter(\.byItem)
        var round = consume round
        round.items += items
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
