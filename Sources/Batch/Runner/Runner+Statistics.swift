import Core
import Foundation
import HDF5
import MPI

extension Runner {
    /// Items per statistics block. Fixed, so that the order of floating-point operations, and hence every bit of
    /// the result, is the same whatever the number of ranks.
    static let statisticsBlock = 256

    /// Computes the job's global statistics from the written datasets and stores them under `/stats/<dataset>`.
    ///
    /// The items are cut into fixed blocks of ``statisticsBlock``; ranks take contiguous runs of blocks, summarise
    /// each block value by value (Welford), and rank 0 merges the block summaries in block order
    /// (Chan–Golub–LeVeque). The result is broadcast, so every rank returns it.
    /// - Important: Collective.
    func computeStatistics<J: Job>(_ job: J, file: HDF5.File) throws -> [String: [RunningStatistics]] {
        var result: [String: [RunningStatistics]] = [:]
        for spec in job.statistics {
            guard let output = job.outputs.first(where: { $0.name == spec.dataset }) else { continue }
            if spec.byItem {
                let merged = try mergeItemSummaries(spec, itemCount: job.itemCount, file: file)
                try store(merged, for: spec, file: file, jobName: job.name)
                result[spec.resultName] = merged
                continue
            }
            let dataset = try file.openDataset("/\(job.name)/\(output.name)")
            let perItem = output.elementsPerItem
            let features = spec.perFeature ? perItem : 1
            let blocks = (job.itemCount + Self.statisticsBlock - 1) / Self.statisticsBlock
            var packed: [Double] = []
            for block in Partition.block(count: blocks, parts: session.size, part: session.rank) {
                let rows = block * Self.statisticsBlock..<min(job.itemCount, (block + 1) * Self.statisticsBlock)
                let values = try dataset.read(Double.self, rows: rows)
                var summaries = [RunningStatistics](repeating: RunningStatistics(), count: features)
                values.withUnsafeBufferPointer { v in
                    for row in 0..<rows.count {
                        for element in 0..<perItem {
                            var x = v[row * perItem + element]
                            if spec.transform == .log10 { x = x > 0 ? log10(x) : .nan }
                            summaries[spec.perFeature ? element : 0].add(x)
                        }
                    }
                }
                packed += summaries.flatMap(\.packed)
            }
            // Gather block summaries to rank 0 (rank order is block order), fold them in order, share the result.
            let bytes = packed.withUnsafeBytes { Array($0) }
            var merged = [RunningStatistics](repeating: RunningStatistics(), count: features)
            if let parts = communicator.gather(bytes: bytes) {
                let all = parts.flatMap { $0 }.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                for blockStart in stride(from: 0, to: all.count, by: 5 * features) {
                    for f in 0..<features {
                        let offset = blockStart + 5 * f
                        merged[f].merge(RunningStatistics(packed: all[offset..<offset + 5]))
                    }
                }
            }
            let shared = communicator.broadcast(bytes: merged.flatMap(\.packed).withUnsafeBytes { Array($0) })
            let flat = shared.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            merged = (0..<features).map { RunningStatistics(packed: flat[5 * $0..<5 * $0 + 5]) }
            try store(merged, for: spec, file: file, jobName: job.name)
            result[spec.resultName] = merged
        }
        return result
    }

    /// Rank 0 merges the stored per-item summaries in item order, one result per group (or one for all items);
    /// every rank gets the results.
    private func mergeItemSummaries(_ spec: StatisticsSpec, itemCount: Int,
                                    file: HDF5.File) throws -> [RunningStatistics] {
        let groupCount = spec.groups.map { itemCount / $0.size } ?? 1
        var merged = [RunningStatistics](repeating: RunningStatistics(), count: groupCount)
        if session.isRoot {
            let packed = try file.openDataset(Self.itemSummariesPath(spec)).read(Double.self)
            for item in 0..<itemCount {
                guard let group = spec.groups.map({ $0.group(of: item) }) ?? 0 else { continue }
                merged[group].merge(RunningStatistics(packed: packed[5 * item..<5 * item + 5]))
            }
        }
        let shared = communicator.broadcast(bytes: merged.flatMap(\.packed).withUnsafeBytes { Array($0) })
        let flat = shared.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        return (0..<groupCount).map { RunningStatistics(packed: flat[5 * $0..<5 * $0 + 5]) }
    }

    private func store(_ summaries: [RunningStatistics], for spec: StatisticsSpec, file: HDF5.File,
                       jobName: String) throws {
        let group = "/stats/\(spec.resultName)"
        try file.createGroup(group)
        let columns: [(String, (RunningStatistics) -> Double)] = [
            ("count", { Double($0.count) }), ("mean", \.mean), ("std", \.standardDeviation),
            ("min", \.minimum), ("max", \.maximum),
        ]
        let rows = session.isRoot ? [0..<summaries.count] : []
        for (name, value) in columns {
            let path = "\(group)/\(name)"
            let dataset = try file.exists(path) ? file.openDataset(path)
                : file.createDataset(path, type: .float64, shape: [summaries.count])
            try dataset.write(session.isRoot ? summaries.map(value) : [], rows: rows)
        }
        try file.setAttribute("dataset", .string("/\(jobName)/\(spec.dataset)"), on: group)
        try file.setAttribute("transform", .string(spec.transform.rawValue), on: group)
        try file.setAttribute("per_feature", .int(spec.perFeature ? 1 : 0), on: group)
        if let groups = spec.groups {
            try file.setAttribute("group_size", .int(Int64(groups.size)), on: group)
            try file.setAttribute("group_margin", .int(Int64(groups.margin)), on: group)
        }
        let method = spec.byItem
            ? "each item summarised as it was produced (items), merged in item order (Chan-Golub-LeVeque); NaN "
                + "skipped; population std"
            : "Welford per block of \(Self.statisticsBlock) items, blocks merged in order (Chan-Golub-LeVeque); "
                + "NaN skipped; population std"
        let grouping = spec.groups.map { "; one summary per run of \($0.size) items, without the first and last "
            + "\($0.margin) of each run" } ?? ""
        try file.setAttribute("method", .string(method + grouping), on: group)
    }
}
