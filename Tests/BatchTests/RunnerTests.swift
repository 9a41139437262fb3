import Batch
import Core
import Foundation
import HDF5
import Logging
import Testing

/// A small job: item i holds [i, i², random] and a label; statistics over the values, per feature and by item.
struct SquaresJob: Job {
    let name = "squares"
    let itemCount: Int
    var outputs: [OutputSpec] {
        [OutputSpec("values", type: .float64, itemShape: [3]), OutputSpec("label", type: .string(length: 8)),
         OutputSpec("counts", type: .uint16, itemShape: [2])]
    }
    let metadataColumns = ["item", "label"]
    var statistics: [StatisticsSpec] {
        [StatisticsSpec(dataset: "values"), StatisticsSpec(dataset: "values", perFeature: true),
         StatisticsSpec(dataset: "counts", byItem: true)]
    }

    func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        var random = context.random(stream: 0)
        let x = Double(item)
        return ItemOutput(values: ["values": .float64([x, x * x, random.uniform()]), "label": .string("i\(item)"),
                                   "counts": .uint16([UInt16(item), UInt16(2 * item)])],
                          metadata: ["\(item)", "i\(item)"])
    }
}

/// The runner driven in-process, as a one-rank MPI job (an MPI singleton): no mpirun needed. The mpirun tests in
/// Tests/e2e check the same properties across 1-3 ranks.
@MainActor @Suite(.serialized) struct RunnerTests {
    static let session = Session.start()

    static func directory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bf-runner-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func run(_ job: SquaresJob, in directory: String, batchSize: Int = 4, overwrite: Bool = false,
                    overlap: Bool? = nil) throws -> RunSummary {
        let options = RunOptions(outputDirectory: directory, seed: 7, batchSize: batchSize, overwrite: overwrite,
                                 version: "test", timestamp: "2026-01-01T00:00:00Z", showProgress: false,
                                 overlap: overlap)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try Runner(session: session, options: options, logger: logger).run(job)
    }

    @Test("a run writes every item, meta.csv in item order, the statistics, and renames the file into place")
    func completeRun() throws {
        let directory = Self.directory("complete")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try Self.run(SquaresJob(itemCount: 11), in: directory)
        #expect(summary.status == .complete && summary.itemsComputed == 11)
        #expect(!FileManager.default.fileExists(atPath: directory + "/squares.h5.partial"))

        let file = try File.open(directory + "/squares.h5")
        let values = try file.openDataset("/squares/values").read(Double.self)
        #expect(values.count == 33)
        for i in 0..<11 {
            #expect(values[3 * i] == Double(i) && values[3 * i + 1] == Double(i * i))
            var random = RandomStream(seed: 7, item: i, stream: 0)
            #expect(values[3 * i + 2] == random.uniform())
        }
        #expect(try file.openDataset("/squares/label").readStrings() == (0..<11).map { "i\($0)" })
        #expect(try file.openDataset("/progress/done").read(UInt8.self) == [UInt8](repeating: 1, count: 11))

        // Statistics equal a direct computation over all values (population variance).
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        let stored = try #require(summary.statistics["values"]?.first)
        #expect(stored.count == 33 && abs(stored.mean - mean) < 1e-12 * abs(mean))
        #expect(abs(stored.variance - variance) < 1e-12 * variance)
        #expect(summary.statistics["values_per_feature"]?.count == 3)
        #expect(summary.statistics["values_per_feature"]?[1].maximum == 100)
        #expect(summary.statistics["counts"]?.first?.maximum == 20)

        let csv = try String(contentsOfFile: directory + "/meta.csv", encoding: .utf8)
        #expect(try CSV.parse(csv) == [["item", "label"]] + (0..<11).map { ["\($0)", "i\($0)"] })
    }

    @Test("the batch size changes nothing in the file", arguments: [1, 3, 64])
    func batchSizeIndependence(batchSize: Int) throws {
        let reference = Self.directory("reference"), other = Self.directory("batch\(batchSize)")
        defer {
            try? FileManager.default.removeItem(atPath: reference)
            try? FileManager.default.removeItem(atPath: other)
        }
        _ = try Self.run(SquaresJob(itemCount: 13), in: reference, batchSize: 5)
        _ = try Self.run(SquaresJob(itemCount: 13), in: other, batchSize: batchSize)
        let a = try File.open(reference + "/squares.h5"), b = try File.open(other + "/squares.h5")
        for dataset in ["/squares/values", "/stats/values/mean", "/stats/values_per_feature/std"] {
            let valuesA = try a.openDataset(dataset).read(Double.self), valuesB = try b.openDataset(dataset).read(Double.self)
            #expect(valuesA.map(\.bitPattern) == valuesB.map(\.bitPattern), "\(dataset)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: reference + "/meta.csv"))
                == Data(contentsOf: URL(fileURLWithPath: other + "/meta.csv")))
    }

    @Test("computing the next batch while writing the last changes nothing; the phases are timed")
    func overlapIndependence() throws {
        let serial = Self.directory("serial"), overlapped = Self.directory("overlapped")
        defer {
            try? FileManager.default.removeItem(atPath: serial)
            try? FileManager.default.removeItem(atPath: overlapped)
        }
        let a = try Self.run(SquaresJob(itemCount: 17), in: serial, batchSize: 2, overlap: false)
        let b = try Self.run(SquaresJob(itemCount: 17), in: overlapped, batchSize: 2, overlap: true)
        let fileA = try File.open(serial + "/squares.h5"), fileB = try File.open(overlapped + "/squares.h5")
        for dataset in ["/squares/values", "/stats/values/std", "/stats/counts/items"] {
            let valuesA = try fileA.openDataset(dataset).read(Double.self)
            let valuesB = try fileB.openDataset(dataset).read(Double.self)
            #expect(valuesA.map(\.bitPattern) == valuesB.map(\.bitPattern), "\(dataset)")
        }
        #expect(try fileA.openDataset("/squares/label").readStrings() == fileB.openDataset("/squares/label").readStrings())
        #expect(try Data(contentsOf: URL(fileURLWithPath: serial + "/meta.csv"))
                == Data(contentsOf: URL(fileURLWithPath: overlapped + "/meta.csv")))
        for phases in [a.phases, b.phases] {
            let p = try #require(phases)
            #expect(p.compute > 0 && p.write > 0 && p.wait >= 0)
        }
    }

    @Test("an existing output is refused without --overwrite, and kept")
    func refusesToOverwrite() throws {
        let directory = Self.directory("refuse")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Self.run(SquaresJob(itemCount: 3), in: directory)
        #expect(throws: BatchError.self) { try Self.run(SquaresJob(itemCount: 3), in: directory) }
        #expect(FileManager.default.fileExists(atPath: directory + "/squares.h5"))
        #expect(try Self.run(SquaresJob(itemCount: 3), in: directory, overwrite: true).status == .complete)
    }
}
