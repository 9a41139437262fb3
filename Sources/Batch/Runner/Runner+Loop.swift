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
    }

    func produceAll<J: Job>(_ job: J, items mine: [Int], pendingCount: Int, outputs: [Dataset],
                                    done: Dataset, itemSummaries: [Dataset], file: HDF5.File,
                                    spool: MetadataSpool?) throws -> LoopResult {
        let summarised = job.statistics.filter(\.byItem)
        let batch = options.batchSize
        let localRounds = (mine.count + batch - 1) / batch
        let rounds = communicator.allreduce(localRounds, .max)
        var doneGlobal = job.itemCount - pendingCount
        var progress = Progress(total: job.itemCount, alreadyDone: doneGlobal,
                                enabled: session.isRoot && options.showProgress, now: MPIRuntime.wallTime())
        var computed = 0
        var buffers = BatchBuffers(specs: job.outputs)
        for round in 0..<rounds {
            // Agree on a stop request before starting a batch, so that all ranks leave together.
            let stop = communicator.allreduce(StopSignal.received ?? 0, .max)
            if stop != 0 { return LoopResult(computed: computed, stoppedBy: stop) }

            let slice = mine[min(mine.count, round * batch)..<min(mine.count, (round + 1) * batch)]
            buffers.removeAll()
            var rows: [[String]] = []
            rows.reserveCapacity(slice.count)
            var summaries = [[Double]](repeating: [], count: summarised.count)
            let contexts = slice.map { ItemContext(seed: options.seed, item: $0, timestamp: options.timestamp) }
            let produced: [ItemOutput]
            do {
                produced = contexts.isEmpty ? [] : try job.produce(batch: contexts)
            } catch let failure as ItemFailure {
                throw BatchError(.item(failure.item), "item \(failure.item) failed on rank \(session.rank): "
                                 + "\(failure.underlying)", agreed: false)
            } catch {
                let first = slice.first ?? 0
                throw BatchError(.item(first), "items \(first)...\(slice.last ?? first) failed on rank "
                                 + "\(session.rank): \(error)", agreed: false)
            }
            guard produced.count == slice.count else {
                throw BatchError(.item(slice.first ?? 0), "a batch of \(slice.count) items gave \(produced.count) "
                                 + "outputs", agreed: false)
            }
            for (item, output) in zip(slice, produced) {
                guard output.metadata.count == job.metadataColumns.count else {
                    throw BatchError(.item(item), "item \(item) gave \(output.metadata.count) metadata fields for "
                                     + "\(job.metadataColumns.count) columns", agreed: false)
                }
                try buffers.append(output, item: item)
                for (index, spec) in summarised.enumerated() {
                    // Validated by `append`: the output exists and holds numbers.
                    let values = output.values[spec.dataset]!
                    summaries[index] += RunningStatistics.summary(of: values, transform: spec.transform)!.packed
                }
                rows.append(output.metadata)
                try writeFiles(output.files, item: item)
            }

            let runs = Partition.runs(of: slice)
            try wrapIO {
                for index in outputs.indices { try buffers.write(output: index, to: outputs[index], rows: runs) }
                for (dataset, packed) in zip(itemSummaries, summaries) { try dataset.write(packed, rows: runs) }
            }
            let gathered = communicator.gather(bytes: MetadataSpool.encode(items: Array(slice), rows: rows))
            if let spool, let gathered { try spool.append(gathered.flatMap { $0 }) }
            try wrapIO {
                try done.write([UInt8](repeating: 1, count: slice.count), rows: runs)
                try file.flush()
            }
            computed += communicator.allreduce(slice.count, .sum)
            doneGlobal = job.itemCount - pendingCount + computed
            progress.update(done: doneGlobal, now: MPIRuntime.wallTime(), force: round == rounds - 1)
        }
        return LoopResult(computed: computed, stoppedBy: nil)
    }

    /// The finishing pass: every rank reads back its block of items and writes the files the job makes of them
    /// with the statistics.
}
