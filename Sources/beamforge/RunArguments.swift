import ArgumentParser
import Batch
import Foundation
import Logging

/// Options every job subcommand takes. Each config key may also be set here; the command line wins.
struct RunArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("YAML configuration file; without it the built-in defaults apply (as in configs/).",
                                    valueName: "file.yml"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Output directory (config key out).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: "Run seed: every random stream is keyed by (seed, item, stream) (config key seed).")
    var seed: UInt64?

    @Option(name: .customLong("batch-size"), help: "Items a rank is handed and produces at a time (config key batch_size).")
    var batchSize: Int?

    @Option(name: .long, help: ArgumentHelp(
        "How batches go to ranks: dynamic (to whichever rank asks first), cyclic (batch k to rank k mod ranks) or "
        + "jitter:SEED (dynamic with random pauses, for tests). The output is the same for all.",
        valueName: "schedule"))
    var schedule: String = "dynamic"

    @Option(name: .customLong("batches-per-write"), help: ArgumentHelp(
        "Batches per rank between collective writes (and done-flag flushes: --resume loses at most these).",
        valueName: "n"))
    var batchesPerWrite: Int = 4

    @Option(name: .long, help: ArgumentHelp("Write the loop's per-batch and per-write timings as CSV (for scripts/bench scaling).",
                                            valueName: "file.csv"))
    var profile: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override any config key, e.g. --set instruments.0.flux=5e6 (repeatable).",
                               valueName: "key=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Continue an interrupted run (its .partial file), computing only the missing items.")
    var resume = false

    @Flag(name: .long, help: "Replace existing outputs.")
    var overwrite = false

    @Flag(name: .customLong("dry-run"), help: "Print the plan (items per rank, output size, memory) and exit.")
    var dryRun = false

    @Flag(name: .long, help: "After a complete run, write DIR/report.html (as `beamforge report DIR`).")
    var report = false

    @Flag(name: .customLong("no-progress"), help: "Do not show progress.")
    var noProgress = false

    @Option(name: .customLong("progress-every"), help: ArgumentHelp(
        "Seconds between progress lines when standard error is not a terminal (job logs); default 60.",
        valueName: "seconds"))
    var progressEvery: Double?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Compute the next batch on a second thread while writing the last (default: when each rank has two CPUs).",
        valueName: "overlap"))
    var overlap: Bool?

    @Flag(name: .customLong("print-config"), help: "Print the subcommand's commented default configuration and exit.")
    var printConfig = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if let progressEvery, !(progressEvery > 0 && progressEvery <= 86_400) {
            throw ValidationError("--progress-every must be between 0 and 86400 seconds (got \(progressEvery))")
        }
        if Schedule(schedule) == nil {
            throw ValidationError("--schedule must be dynamic, cyclic or jitter:SEED (got '\(schedule)')")
        }
        if !(1...1024).contains(batchesPerWrite) {
            throw ValidationError("--batches-per-write must be from 1 to 1024 (got \(batchesPerWrite))")
        }
    }

    /// With --print-config, prints the commented default configuration of `name` (as configs/ holds it) and ends the
    /// command with status 0; otherwise does nothing.
    func printDefaultConfigIfAsked(_ name: DefaultConfig) throws {
        guard printConfig else { return }
        FileHandle.standardOutput.write(Data(name.text.utf8))
        throw ExitCode.success
    }

    /// `--set` pairs, then the named options, in the order they apply.
    func keyOverrides() throws -> [(key: String, value: String)] {
        var pairs: [(String, String)] = try overrides.map { text in
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw ValidationError("--set expects key=value (got '\(text)')")
            }
            return (String(text[..<eq]), String(text[text.index(after: eq)...]))
        }
        if let out { pairs.append(("out", RunArguments.quoted(out))) }
        if let seed { pairs.append(("seed", String(seed))) }
        if let batchSize { pairs.append(("batch_size", String(batchSize))) }
        return pairs
    }

    /// A string as a YAML double-quoted scalar (so a path like `1e3` or `no` stays a string).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
