import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

extension Runner {
    func finishAll<J: Job>(_ job: J, outputs: [Dataset], statistics: [String: [RunningStatistics]]) throws {
        guard !job.finishingOutputs.isEmpty else { return }
        // Validated: every finishing output is declared; `outputs` is in declaration order.
        let chosen = job.outputs.indices.filter { job.finishingOutputs.contains(job.outputs[$0].name) }
        let specs = chosen.map { job.outputs[$0] }, datasets = chosen.map { outputs[$0] }
        let items = Partition.block(count: job.itemCount, parts: session.size, part: session.rank)
        logger.info("\(job.name): writing the files of \(job.itemCount) items with the dataset-wide statistics")
        for item in items {
            var values: [String: Column] = [:]
            try wrapIO {
                for (spec, dataset) in zip(specs, datasets) {
                    values[spec.name] = try Column.read(spec.type, row: item, from: dataset)
                }
            }
            let files: [ItemFile]
            do { files = try job.finish(item: item, values: values, statistics: statistics) } catch {
                throw BatchError(.item(item), "item \(item) failed on rank \(session.rank): \(error)", agreed: false)
            }
            try writeFiles(files, item: item)
        }
        // Every rank's files exist before rank 0 gives the output its final name.
        communicator.barrier()
    }

    /// Writes an item's files: each under a temporary name in its directory, then renamed into place.
    func writeFiles(_ files: [ItemFile], item: Int) throws {
        for file in files {
            let path = file.path.hasPrefix("/") ? file.path : options.outputDirectory + "/" + file.path
            let temporary = path + ".rank\(session.rank).tmp"
            do {
                let directory = PathName.parent(path)
                if !Files.exists(directory) {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                try file.write(temporary)
                try Files.rename(temporary, to: path)
            } catch {
                Files.remove(temporary)
                throw BatchError(.io, "item \(item): cannot write \(path): \(error)", agreed: false)
            }
        }
    }
}
