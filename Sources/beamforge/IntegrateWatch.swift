import Batch
import Core
import Formats
import Foundation
import Integration
import Logging

/// `integrate --watch DIR`: rank 0 finds frames as they become ready and hands them out in epochs; every epoch is
/// one run of the batch runner over all frames handed out so far (the first fresh, the next ones `--update`s that
/// copy the frames already integrated and compute the new ones), with the matrices built once. So the output is,
/// by construction, that of a batch `integrate @OUT/processed.lst` (the frames in the order handed out), bit for
/// bit, on any number of ranks.
enum IntegrateWatch {
    /// What rank 0 tells the ranks after each look, as text: `F` and the frames, `I` (idle), or `S<status>` and why.
    static func encode(_ step: EpochGatherer.Step) -> String {
        switch step {
        case .frames(let paths): return "F\n" + paths.joined(separator: "\n")
        case .idle: return "I"
        case .stop(let reason, let signal):
            // SIGINT and SIGTERM end a watch (status 0); USR1 and USR2 (Slurm's warning) ask for --resume.
            let ends = signal.map { ["SIGINT", "SIGTERM"].contains(StopSignal.name($0)) } ?? true
            return "S\(ends ? ExitStatus.success : ExitStatus.interrupted)\n" + reason
        }
    }

    /// The step of ``encode(_:)``'s text, with the exit status of a stop.
    static func decode(_ text: String) -> (step: EpochGatherer.Step, status: Int32) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch lines.first?.first {
        case "F": return (.frames(Array(lines.dropFirst())), 0)
        case "S": return (.stop(lines.dropFirst().joined(separator: "\n"), signal: nil),
                          Int32(lines[0].dropFirst()) ?? ExitStatus.failure)
        default: return (.idle, 0)
        }
    }

    /// Runs the watch with `job` (no frames yet; its matrices are built here, once) and exits on every rank.
    static func run(_ job: IntegrateJob, watch: WatchSettings, dataPath: String?, settings: RunSettings,
                    arguments: RunArguments, configText: String, jobConfigText: String) -> Never {
        StopSignal.install()
        let session = Session.start()
        let level = Logger.Level(rawValue: arguments.logLevel) ?? .info
        LoggingSystem.bootstrap { label in RankLogHandler(label: label, rank: session.rank, level: level) }
        let logger = Logger(label: "beamforge")
        let out = settings.out
        let files = WatchFiles(directory: out)
        do {
            try session.checkLaunch()
            var prepared: any Job = job
            try session.prepare(&prepared, logger: logger)
            guard let base = prepared as? IntegrateJob else { session.abort("watch: the job changed type") }

            // Rank 0 decides where the run starts: fresh, or (--resume) after the frames of the complete output.
            var start = ""
            if session.isRoot {
                start = begin(files: files, resume: arguments.resume, overwrite: arguments.overwrite)
            }
            start = session.broadcast(start)
            if start.hasPrefix("!") { throw BatchError(.output, String(start.dropFirst()), agreed: true) }
            var processed = start.isEmpty ? [] : start.split(separator: "\n").map(String.init)
            if !processed.isEmpty { logger.info("resuming the watch after \(processed.count) frames") }

            let watcher = session.isRoot ? try makeWatcher(watch, dataPath: dataPath, job: base, skip: Set(processed)) : nil
            if let watcher { logger.info("watching \(watch.directory): \(watcher.mode)") }
            var gatherer = watcher.map {
                EpochGatherer(watcher: $0, settings: watch, cap: 4 * settings.batchSize * session.size)
            }
            var epoch = 0
            while true {
                let step = gatherer?.next(processed: processed.count) { StopSignal.received }
                let (order, status) = decode(session.broadcastSleeping(step.map(encode) ?? ""))
                if session.isRoot, let rejected = gatherer?.takeRejected(), !rejected.isEmpty {
                    files.reject(rejected, logger: logger)
                }
                switch order {
                case .idle:
                    continue
                case .stop(let reason, _):
                    logger.info("watch ended (\(reason)): \(processed.count) frames in \(out)")
                    session.finish(exitCode: status)
                case .frames(let paths):
                    let started = Date()
                    let all = processed + paths
                    let inputs: FrameInputs
                    do {
                        inputs = try FrameInputs(files: all, folder: FrameInputs.absolute(watch.directory),
                                                 dataPath: dataPath)
                    } catch {
                        throw BatchError(.io, "\(error)", agreed: true)
                    }
                    let epochJob = try base.replacingInputs(inputs)
                    let options = RunOptions(
                        outputDirectory: out, seed: settings.seed, batchSize: settings.batchSize,
                        overwrite: processed.isEmpty && arguments.overwrite, update: !processed.isEmpty,
                        compression: settings.compression == 0 ? nil : settings.compression,
                        chunkItems: settings.chunkItems, configText: configText, jobConfigText: jobConfigText,
                        version: Beamforge.version, timestamp: session.broadcast(Launch.timestamp()),
                        showProgress: false, overlap: arguments.overlap,
                        schedule: Schedule(arguments.schedule) ?? .dynamic, batchesPerWrite: arguments.batchesPerWrite)
                    let summary = try Runner(session: session, options: options, logger: logger).run(epochJob)
                    if case .interrupted = summary.status { session.finish(exitCode: ExitStatus.interrupted) }
                    epoch += 1
                    processed = all
                    if session.isRoot {
                        files.record(epoch: epoch, frames: paths, total: all.count,
                                     seconds: Date().timeIntervalSince(started))
                    }
                }
            }
        } catch let error as BatchError where error.isAgreed {
            if session.isRoot { FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8)) }
            session.finish(exitCode: error.kind == .io ? ExitStatus.failure : ExitStatus.badInput)
        } catch let error as ConfigError {
            session.abort("\(error)", exitCode: ExitStatus.badInput)
        } catch {
            session.abort("\(error)", exitCode: ExitStatus.failure)
        }
    }

    /// Rank 0: the frames an earlier watch handed out (newline-separated, empty for a fresh start), or `!` and
    /// why the output directory cannot be used.
    static func begin(files: WatchFiles, resume: Bool, overwrite: Bool) -> String {
        let final = files.directory + "/integrated.h5"
        let exists = FileManager.default.fileExists(atPath: final)
            || FileManager.default.fileExists(atPath: final + ".partial")
        if resume {
            do {
                // An epoch cut short is redone from the complete output (or from nothing).
                Runner.discardInterrupted(directory: files.directory, job: "integrated")
                let keys = try Runner.completeKeys(directory: files.directory, job: "integrated") ?? []
                try files.restart(processed: keys)
                return keys.joined(separator: "\n")
            } catch {
                return "!cannot resume the watch in \(files.directory): \(error)"
            }
        }
        if exists && !overwrite {
            return "!\(final) already exists: pass --resume to continue that watch, --overwrite to start again, "
                + "or choose another --out"
        }
        do { try files.restart(processed: []) } catch { return "!cannot write into \(files.directory): \(error)" }
        return ""
    }

    /// Rank 0's watcher for frames of the job's size.
    static func makeWatcher(_ watch: WatchSettings, dataPath: String?, job: IntegrateJob,
                            skip: Set<String>) throws -> FrameWatcher {
        let geometry = job.calibration.geometry
        return try FrameWatcher(settings: watch, dataPath: dataPath, size: (geometry.rows, geometry.columns), skip: skip)
    }
}
