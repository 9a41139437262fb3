import Core

/// What a run would do, for `--dry-run`: work per rank, output size and memory per rank.
public struct Plan: CustomStringConvertible, Sendable {
    /// The job's name.
    public let job: String
    /// The number of items.
    public let items: Int
    /// The number of MPI ranks.
    public let ranks: Int
    /// An even share of the items per rank (fewest, most); the dynamic schedule gives faster ranks more.
    public let itemsPerRank: ClosedRange<Int>
    /// Items per batch.
    public let batchSize: Int
    /// How batches go to ranks.
    public let schedule: Schedule
    /// The HDF5 output's final path.
    public let outputFile: String
    /// The per-item datasets: full path, extent including the item dimension, and element type.
    public let datasets: [(name: String, shape: [Int], type: String)]
    /// The estimated size of the output file in bytes (the per-item datasets and one done flag per item).
    public let outputBytes: Int
    /// The estimated working memory of one rank in bytes (batches, per-item work, what the job holds for the whole
    /// run), not counting the MPI/HDF5 runtime.
    public let memoryPerRankBytes: Int

    /// Plans `job` on `ranks` ranks with `options`.
    public init<J: Job>(job: J, ranks: Int, options: RunOptions) {
        self.job = job.name
        items = job.itemCount
        self.ranks = ranks
        let sizes = (0..<ranks).map { Partition.block(count: job.itemCount, parts: ranks, part: $0).count }
        itemsPerRank = (sizes.min() ?? 0)...(sizes.max() ?? 0)
        batchSize = options.batchSize
        schedule = options.schedule
        outputFile = OutputPaths(directory: options.outputDirectory, job: job.name,
                                 metadataFileName: options.metadataFileName).final
        datasets = job.outputs.map { ("/\(job.name)/\($0.name)", [job.itemCount] + $0.itemShape, "\($0.type)") }
        let bytesPerItem = job.outputs.reduce(0) { $0 + $1.bytesPerItem }
        // Saturating: an absurd item count is refused by its numbers, not by an overflow trap.
        let output = job.itemCount.multipliedReportingOverflow(by: bytesPerItem + 1)
        outputBytes = output.overflow ? Int.max : output.partialValue
        // Per rank: the batch as produced plus its packed copy, the packed batches kept until written, the job's
        // working memory, one statistics block of the widest dataset whose statistics are read back as doubles, and
        // the done flags read on resume.
        let readBack = Set(job.statistics.filter { !$0.byItem }.map(\.dataset))
        let widest = job.outputs.filter { readBack.contains($0.name) }.map(\.elementsPerItem).max() ?? 0
        let batch = min(options.batchSize, itemsPerRank.upperBound)
        // A rank keeps `batchesPerWrite` batches until it writes them (uncompressed: at most 32 MiB beyond one
        // batch), besides the batch being produced and its outputs.
        let keptBatches = options.batchesPerWrite.multipliedReportingOverflow(by: batch * bytesPerItem)
        let allKept = keptBatches.overflow ? Int.max : keptBatches.partialValue
        let kept = options.compression == nil ? min(allKept, Runner.writeBytes + batch * bytesPerItem) : allKept
        let perBatch = batch.multipliedReportingOverflow(by: 2 * bytesPerItem + job.workingBytesPerItem)
        let memory = perBatch.partialValue.addingReportingOverflow(kept + Runner.statisticsBlock * widest * 8 + job.itemCount
                                                                   + job.residentBytes)
        memoryPerRankBytes = perBatch.overflow || memory.overflow ? Int.max : memory.partialValue
    }

    /// The plan as the indented text that `--dry-run` prints.
    public var description: String {
        var lines = ["plan for \(job):"]
        lines.append("  items            \(items)")
        let per = itemsPerRank.lowerBound == itemsPerRank.upperBound ? "\(itemsPerRank.lowerBound)"
            : "\(itemsPerRank.lowerBound)-\(itemsPerRank.upperBound)"
        lines.append("  ranks            \(ranks) (\(per) items per rank)")
        lines.append("  batch size       \(batchSize) items, handed to ranks by the \(schedule) schedule")
        lines.append("  output           \(outputFile): \(Self.bytes(outputBytes))")
        for d in datasets {
            lines.append("    \(d.name)  \(d.type) \(d.shape.map(String.init).joined(separator: " x "))")
        }
        lines.append("  memory per rank  about \(Self.bytes(memoryPerRankBytes)) of working data, "
                     + "plus the MPI/HDF5 runtime (~50 MB)")
        return lines.joined(separator: "\n")
    }

    /// A byte count with a binary unit, e.g. `12.3 MiB`.
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : "\(Progress.fixed(value, 1)) \(units[unit])"
    }
}
