// batch-fixture: a synthetic job on the real runner, for the multi-rank tests and the runner benchmarks.
//
//   batch-fixture --out DIR [--n N] [--width W] [--batch-size B] [--seed S] [--resume] [--overwrite]
//                 [--fail-at K] [--sleep-ms MS] [--compression L] [--no-progress] [--constant] [--no-stats]
//                 [--redo I,J,...] [--schedule dynamic|cyclic|jitter:SEED] [--batches-per-write N] [--profile F]
//                 [--label TEXT]
//
// Item i holds W uniform doubles from its random stream, its index and a label. --fail-at K makes item K throw;
// --sleep-ms makes each item take that long (so a test can interrupt a run part-way). --constant fills the values
// with the item index instead of random numbers and --no-stats skips the statistics pass, so that a benchmark
// measures the runner and the HDF5 layer rather than the job. --redo recomputes the listed items of a complete run.
// --label gives every item that metadata label (CSV-injection tests: `=cmd`, `-1.5`).
import Batch
import Foundation
import Logging

struct FixtureJob: Job {
    let itemCount: Int
    let width: Int
    let failAt: Int?
    let sleepMilliseconds: Int
    var constant = false
    var withStatistics = true
    var label: String?

    struct InjectedFailure: Error, CustomStringConvertible {
        let item: Int
        var description: String { "injected failure at item \(item)" }
    }

    var name: String { "fixture" }
    var outputs: [OutputSpec] {
        [OutputSpec("value", type: .float64, itemShape: [width]), OutputSpec("index", type: .int64),
         OutputSpec("label", type: .string(length: 16))]
    }
    var metadataColumns: [String] { ["index", "label", "first_value"] }
    var statistics: [StatisticsSpec] {
        withStatistics ? [StatisticsSpec(dataset: "value"), StatisticsSpec(dataset: "value", perFeature: true)] : []
    }

    func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        if item == failAt { throw InjectedFailure(item: item) }
        if sleepMilliseconds > 0 { Thread.sleep(forTimeInterval: Double(sleepMilliseconds) / 1000) }
        var random = context.random(stream: 0)
        let values = constant ? [Double](repeating: Double(item), count: width) : (0..<width).map { _ in random.uniform() }
        let label = self.label ?? "item,\"\(item)\""
        return ItemOutput(values: ["value": .float64(values), "index": .int64([Int64(item)]), "label": .string(label)],
                          metadata: [String(item), label, String(values.first ?? 0)])
    }
}

struct Arguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { throw FixtureError("unexpected argument \(argument)") }
            let key = String(argument.dropFirst(2))
            if ["resume", "overwrite", "no-progress", "constant", "no-stats"].contains(key) {
                flags.insert(key)
            } else if let value = iterator.next() {
                values[key] = value
            } else {
                throw FixtureError("\(argument) needs a value")
            }
        }
    }

    func int(_ key: String, default value: Int) throws -> Int {
        guard let text = values[key] else { return value }
        guard let number = Int(text) else { throw FixtureError("--\(key) needs an integer") }
        return number
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@main
enum BatchFixture {
    static func main() {
        let arguments: Arguments
        do {
            arguments = try Arguments(CommandLine.arguments.dropFirst())
        } catch {
            FileHandle.standardError.write(Data("batch-fixture: \(error)\n".utf8))
            exit(2)
        }
        let session = Session.start()
        LoggingSystem.bootstrap { RankLogHandler(label: $0, rank: session.rank, level: .info) }
        do {
            var job = FixtureJob(itemCount: try arguments.int("n", default: 100),
                                 width: try arguments.int("width", default: 8),
                                 failAt: arguments.values["fail-at"].flatMap(Int.init),
                                 sleepMilliseconds: try arguments.int("sleep-ms", default: 0))
            job.constant = arguments.flags.contains("constant")
            job.withStatistics = !arguments.flags.contains("no-stats")
            job.label = arguments.values["label"]
            let compression = try arguments.int("compression", default: 0)
            let redo = try arguments.values["redo"].map { text in
                try text.split(separator: ",").map { field in
                    guard let item = Int(field) else { throw FixtureError("--redo needs integers") }
                    return item
                }
            }
            let options = RunOptions(
                outputDirectory: arguments.values["out"] ?? "fixture-out",
                seed: UInt64(try arguments.int("seed", default: 7)),
                batchSize: try arguments.int("batch-size", default: 16), resume: arguments.flags.contains("resume"),
                overwrite: arguments.flags.contains("overwrite"), redo: redo, compression: compression == 0 ? nil : compression,
                configText: "fixture width \(job.width)", jobConfigText: "fixture width \(job.width)",
                version: "fixture", timestamp: "2000-01-01T00:00:00Z",
                showProgress: !arguments.flags.contains("no-progress"),
                schedule: try arguments.values["schedule"].map { text in
                    guard let schedule = Schedule(text) else { throw FixtureError("--schedule: dynamic, cyclic or jitter:SEED") }
                    return schedule
                } ?? .dynamic,
                batchesPerWrite: try arguments.int("batches-per-write", default: 2),
                profilePath: arguments.values["profile"])
            StopSignal.install()
            let summary = try Runner(session: session, options: options, logger: Logger(label: "fixture")).run(job)
            if session.isRoot {
                let mb = Double(job.itemCount * (job.width * 8 + 8 + 16)) / 1e6
                print("items \(summary.itemsComputed) seconds \(summary.seconds) megabytes \(mb)")
            }
            if case .interrupted = summary.status { session.finish(exitCode: 75) }
            session.finish()
        } catch let error as BatchError where error.isAgreed {
            if session.isRoot { FileHandle.standardError.write(Data("batch-fixture: error: \(error)\n".utf8)) }
            session.finish(exitCode: 2)
        } catch {
            session.abort("\(error)")
        }
    }
}
