import Batch
import Core
import Foundation
import HDF5
import Logging
import Testing

/// Reads item i's input, line i of a text file, by positioned reads of the whole file (a real file each time).
struct LinesSource: BlockSource {
    let path: String

    struct Block: Sendable {
        var lines: [String] = []
        /// How many reads this block has served (it is reused from batch to batch).
        var reads = 0
    }

    func makeBlock() -> Block { Block() }

    func read(items: [Int], into block: inout Block) throws {
        let all = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        block.lines.removeAll(keepingCapacity: true)
        for item in items {
            guard item < all.count, !all[item].isEmpty else {
                throw ItemFailure(item: item, underlying: FormatError(file: path, message: "no line \(item + 1)"))
            }
            block.lines.append(String(all[item]))
        }
        block.reads += 1
    }
}

/// Item i: the length of line i and the number it holds, computed from the block the runner read.
struct LineLengthsJob: SourcedJob {
    let name = "lines"
    let itemCount: Int
    let source: LinesSource
    var outputs: [OutputSpec] { [OutputSpec("length", type: .int64), OutputSpec("value", type: .float64)] }
    let metadataColumns = ["line"]

    func produce(batch: [ItemContext], input: LinesSource.Block) throws -> [ItemOutput] {
        precondition(input.lines.count == batch.count, "the block holds the batch's inputs")
        return zip(batch, input.lines).map { context, line in
            ItemOutput(values: ["length": .int64([Int64(line.count)]), "value": .float64([Double(line) ?? .nan])],
                       metadata: [line])
        }
    }
}

@MainActor @Suite(.serialized) struct SourcedJobTests {
    static func input(lines: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bf-lines-\(getpid()).txt").path
        try (0..<lines).map { String($0 * $0) }.joined(separator: "\n").write(toFile: path, atomically: true,
                                                                                encoding: .utf8)
        return path
    }

    static func run(_ job: LineLengthsJob, batchSize: Int, overlap: Bool) throws -> (String, RunSummary) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bf-sourced-\(batchSize)-\(overlap)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        let options = RunOptions(outputDirectory: directory, seed: 1, batchSize: batchSize, version: "test",
                                 timestamp: "2026-01-01T00:00:00Z", showProgress: false, overlap: overlap)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return (directory, try Runner(session: RunnerTests.session, options: options, logger: logger).run(job))
    }

    @Test("the runner reads each batch through the source; any batch size, with or without overlap, same file",
          arguments: [(1, false), (3, true), (4, false), (50, true)])
    func readsThroughTheSource(batchSize: Int, overlap: Bool) throws {
        let path = try Self.input(lines: 23)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (directory, summary) = try Self.run(LineLengthsJob(itemCount: 23, source: LinesSource(path: path)),
                                                batchSize: batchSize, overlap: overlap)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try File.open(directory + "/lines.h5")
        #expect(try file.openDataset("/lines/value").read(Double.self) == (0..<23).map { Double($0 * $0) })
        #expect(try file.openDataset("/lines/length").read(Int64.self) == (0..<23).map { Int64(String($0 * $0).count) })
        let phases = try #require(summary.phases)
        #expect(phases.read > 0 && phases.compute > 0)
    }

    @Test("a failed read names the item and the file")
    func readFailureNamesTheItem() throws {
        let path = try Self.input(lines: 5)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: BatchError.self) {
            _ = try Self.run(LineLengthsJob(itemCount: 8, source: LinesSource(path: path)), batchSize: 2, overlap: true)
        }
        #expect(error?.kind == .item(5))
        #expect(error?.message.contains("no line 6") == true)
    }
}
