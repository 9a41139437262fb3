import Batch
import Core
import Foundation
import Logging

/// Exit statuses of beamforge.
enum ExitStatus {
    static let success: Int32 = 0
    /// A run failed while working (an item, I/O).
    static let failure: Int32 = 1
    /// Bad input: configuration, options, output location. Nothing was computed.
    static let badInput: Int32 = 2
    /// Stopped by a signal (e.g. Slurm's warning before the time limit); `--resume` continues.
    static let interrupted: Int32 = 75
}

/// The common path of every job subcommand: start MPI, plan or run, and end every rank the right way.
enum Launch {
    /// The rank the launcher assigned, read before MPI starts so that a config error is printed once, not once
    /// per rank.
    static var launcherRank: Int {
        let env = ProcessInfo.processInfo.environment
        for key in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"] {
            if let value = env[key], let rank = Int(value) { return rank }
        }
        return 0
    }

    /// Reports a problem found before MPI started and exits with ``ExitStatus/badInput``.
    static func reject(_ error: ConfigError) -> Never {
        if launcherRank == 0 { FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8)) }
        exit(ExitStatus.badInput)
    }

    /// The dataset timestamp: `SOURCE_DATE_EPOCH` when set (reproducible outputs), else now; ISO 8601 UTC.
    static func timestamp() -> String {
        var date = Date()
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(epoch) {
            date = Date(timeIntervalSince1970: seconds)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Runs `job` with `settings` and exits with the run's status on every rank.
    ///
    /// It takes `any Job` rather than a generic parameter: with Swift 6.3.1 the release build of the generic,
    /// `Never`-returning form crashed on entry (a bad return address before its first statement), while the
    /// existential form runs; the runner still receives the concrete job type (the existential is opened).
    /// `update` brings a complete output up to date with the job's items (jobs with item keys).
    /// `redo` lists items of a complete output to recompute in place.
    /// `onComplete` runs on rank 0 after a complete run (e.g. the job's quality report); its error fails the run.
    /// `metadataFileName` names the runner's one-row-per-item CSV.
    /// `then` makes, on every rank, a second job to run after a complete first one (its output directory, config
    /// and own `onComplete`), in the same MPI session with the same run options (`ptycho-ingest --qc`).
    static func run(_ job: any Job, settings: RunSettings, arguments: RunArguments, configText: String,
                    jobConfigText: String, update: Bool = false, redo: [Int]? = nil, metadataFileName: String = "meta.csv",
                    onComplete: ((RunSummary) throws -> Void)? = nil,
                    then followUp: ((RunSummary) throws -> FollowUp)? = nil) -> Never {
        // From here a stop signal only sets a flag: one during start-up or set-up stops the run before its first
        // batch, with status 75.
        StopSignal.install()
        let session = Session.start()
        let level = Logger.Level(rawValue: arguments.logLevel) ?? .info
        LoggingSystem.bootstrap { label in RankLogHandler(label: label, rank: session.rank, level: level) }
        let logger = Logger(label: "beamforge")

        let options = RunOptions(
            outputDirectory: settings.out, seed: settings.seed, batchSize: settings.batchSize,
            resume: arguments.resume, overwrite: arguments.overwrite, update: update, redo: redo,
            compression: settings.compression == 0 ? nil : settings.compression, chunkItems: settings.chunkItems,
            configText: configText, jobConfigText: jobConfigText, version: Beamforge.version,
            timestamp: session.broadcast(timestamp()), metadataFileName: metadataFileName, showProgress: !arguments.noProgress,
            overlap: arguments.overlap, schedule: Schedule(arguments.schedule) ?? .dynamic,
            batchesPerWrite: arguments.batchesPerWrite, profilePath: arguments.profile,
            progressInterval: arguments.progressEvery)

        do {
            try session.checkLaunch()
            // The job's set-up, shared by the ranks (the plan too needs what it builds, e.g. integrate's bins).
            var job = job
            let setupStart = Date()
            try session.prepare(&job, logger: logger)
            if arguments.dryRun {
                if session.isRoot {
                    let plan = Plan(job: job, ranks: session.size, options: options)
                    print(plan)
                    // A few items read and computed (nothing written) to estimate the wall time and a Slurm --time.
                    do {
                        print(try TimeEstimate.measure(job, plan: plan, seed: options.seed, timestamp: options.timestamp,
                                                       setupSeconds: Date().timeIntervalSince(setupStart),
                                                       batchSize: options.batchSize,
                                                       clock: { Date().timeIntervalSinceReferenceDate }).description)
                    } catch {
                        print("  timing           not measured: an item failed: \(error)")
                    }
                }
                session.finish(exitCode: ExitStatus.success)
            }
            let summary = try Runner(session: session, options: options, logger: logger).run(job)
            if case .interrupted = summary.status { session.finish(exitCode: ExitStatus.interrupted) }
            if session.isRoot, summary.status == .complete {
                print("outputs: \(summary.outputFile)  \(summary.metadataFile)")
            }
            completed(summary, session: session, directory: settings.out, report: arguments.report, onComplete: onComplete)
            if let followUp, summary.status == .complete || summary.status == .alreadyComplete {
                var next = try followUp(summary)
                try session.prepare(&next.job, logger: logger)
                var nextOptions = options
                nextOptions.outputDirectory = next.directory
                nextOptions.configText = next.configText
                nextOptions.jobConfigText = next.jobConfigText
                nextOptions.profilePath = nil
                let nextSummary = try Runner(session: session, options: nextOptions, logger: logger).run(next.job)
                if case .interrupted = nextSummary.status { session.finish(exitCode: ExitStatus.interrupted) }
                if session.isRoot, nextSummary.status == .complete {
                    print("outputs: \(nextSummary.outputFile)  \(nextSummary.metadataFile)")
                }
                completed(nextSummary, session: session, directory: next.directory, report: false,
                          onComplete: next.onComplete)
            }
            session.finish(exitCode: ExitStatus.success)
        } catch let error as BatchError where error.isAgreed {
            if session.isRoot { FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8)) }
            session.finish(exitCode: error.kind == .io ? ExitStatus.failure : ExitStatus.badInput)
        } catch {
            session.abort("\(error)", exitCode: ExitStatus.failure)
        }
    }

    /// After a run: rank 0 runs `onComplete` and the report of a complete run; their error, agreed by every rank,
    /// ends the process with ``ExitStatus/failure``.
    private static func completed(_ summary: RunSummary, session: Session, directory: String, report: Bool,
                                  onComplete: ((RunSummary) throws -> Void)?) {
        var failure = ""
        if session.isRoot, summary.status == .complete, let onComplete {
            do { try onComplete(summary) } catch { failure = "\(error)" }
        }
        if session.isRoot, summary.status == .complete, failure.isEmpty, report {
            do {
                try ReportCatalog.write(directory: directory)
                print("report: \(directory)/report.html")
            } catch { failure = "\(error)" }
        }
        failure = session.broadcast(failure)
        if !failure.isEmpty {
            if session.isRoot { FileHandle.standardError.write(Data("beamforge: error: \(failure)\n".utf8)) }
            session.finish(exitCode: ExitStatus.failure)
        }
    }
}

/// A job run after another in the same session (``Launch/run(_:settings:arguments:configText:jobConfigText:update:redo:metadataFileName:onComplete:then:)``).
struct FollowUp {
    var job: any Job
    /// Its output directory.
    let directory: String
    let configText: String
    let jobConfigText: String
    /// Run on rank 0 after it completes.
    let onComplete: ((RunSummary) throws -> Void)?
}
