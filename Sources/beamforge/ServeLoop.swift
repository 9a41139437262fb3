import Batch
import Core
import Foundation
import Formats
import Integration
import Logging
import Serve

/// The MPI main loop of `beamforge serve`. Rank 0 decides each step from the shared state (a new queue, the
/// frames that became readable, a stop) and broadcasts it; idle ranks wait in a sleeping broadcast. A new queue
/// builds its matrices once on every rank; each epoch is one run of the batch runner over the queue's frames so
/// far (as `integrate --watch` does), so `OUT/queue-N/integrated.h5` equals a batch `integrate` of the frames in
/// the order handed out, on any number of ranks.
enum ServeLoop {
    /// integrate's settings for serve: `.chi` files (SAXSDog's format) in `OUT/queue-N/chi/`, mirroring the queue's
    /// folders.
    static var options: IntegrateSettings {
        var options = IntegrateSettings()
        options.chi = true
        options.chiLayout = .mirror
        return options
    }

    /// What the ranks do next.
    enum Step {
        case idle
        case stop
        /// Open queue `index` from its calibration file (in `output`), frames from `directory`.
        case open(index: Int, calibration: String, directory: String, output: String)
        /// Integrate these frames of queue `index`.
        case frames(index: Int, paths: [String])

        var text: String {
            switch self {
            case .idle: "I"
            case .stop: "S"
            case .open(let index, let calibration, let directory, let output):
                ["N", String(index), calibration, directory, output].joined(separator: "\n")
            case .frames(let index, let paths): (["F", String(index)] + paths).joined(separator: "\n")
            }
        }

        init(_ text: String) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            switch lines.first {
            case "S": self = .stop
            case "N" where lines.count == 5:
                self = .open(index: Int(lines[1]) ?? 0, calibration: lines[2], directory: lines[3], output: lines[4])
            case "F" where lines.count >= 2: self = .frames(index: Int(lines[1]) ?? 0, paths: Array(lines.dropFirst(2)))
            default: self = .idle
            }
        }
    }

    /// A queue as every rank holds it.
    struct Active {
        var index: Int
        var job: IntegrateJob
        var directory: String
        var output: String
        var processed: [String] = []
    }

    /// Runs until SIGINT or SIGTERM, then exits 0 on every rank. `state` is rank 0's (nil elsewhere); `stopEndpoints`
    /// ends rank 0's endpoint threads. With `watch`, rank 0 also watches each queue's folder (sub-folders too) as
    /// `integrate --watch` does and queues the frames that appear.
    static func run(session: Session, state: ServeState?, watch: Bool, logger: Logger,
                    stopEndpoints: @escaping () -> Void) -> Never {
        var active: Active?
        var opening: ServeState.Opening?
        var watcher: FrameWatcher?
        while true {
            var text = ""
            if let state {
                if let watcher { discover(watcher, state: state, logger: logger) }
                let (step, pendingOpen) = next(state, logger: logger)
                text = step.text
                opening = pendingOpen
            }
            switch Step(session.broadcastSleeping(text)) {
            case .idle:
                continue
            case .stop:
                if let state, let waiting = state.inner.withLock({ inner in
                    inner.stopping = true
                    return inner.opening
                }) {
                    // A `new` still waiting gets its reply before the endpoint's thread is joined.
                    waiting.failure.withLock { $0 = "the server is stopping" }
                    waiting.done.signal()
                }
                if session.isRoot {
                    stopEndpoints()
                    logger.info("serve ended: \(active?.processed.count ?? 0) frames in the last queue")
                }
                session.finish(exitCode: ExitStatus.success)
            case .open(let index, let calibrationPath, let directory, let output):
                var failure: String?
                do {
                    let calibration = try Calibration.load(calibrationPath)
                    let none = try FrameInputs(files: [], folder: directory, dataPath: nil)
                    var prepared: any Job = try IntegrateJob(calibration: calibration, inputs: none, options: options,
                                                             matrices: nil)
                    try session.prepare(&prepared, logger: logger)
                    if let job = prepared as? IntegrateJob {
                        active = Active(index: index, job: job, directory: directory, output: output)
                        if session.isRoot {
                            try WatchFiles(directory: output).restart(processed: [])
                            watcher = nil
                            if watch {
                                var settings = WatchSettings(directory: directory)
                                settings.recursive = true
                                settings.pattern = state?.pattern
                                settings.readyTimeout = state?.readyTimeout ?? settings.readyTimeout
                                watcher = try FrameWatcher(settings: settings, dataPath: nil,
                                                           size: (calibration.geometry.rows, calibration.geometry.columns))
                            }
                        }
                    }
                } catch {
                    failure = "\(error)"
                    active = nil
                }
                if let opening, let state {
                    state.inner.withLock { inner in
                        if failure == nil { inner.queue = opening.queue.withLock { $0 } }
                        inner.opening = nil
                    }
                    opening.failure.withLock { $0 = failure }
                    opening.done.signal()
                    logger.info(failure.map { "new queue \(index) refused: \($0)" } ?? "queue \(index): \(directory)")
                }
            case .frames(let index, let paths):
                guard var queue = active, queue.index == index else { continue }
                do {
                    let done = try epoch(&queue, paths: paths, session: session, logger: logger)
                    active = queue
                    if let state { record(state, index: index, paths: paths, chi: done) }
                } catch {
                    // An epoch that fails (an agreed error of the runner) ends this queue, not the server.
                    logger.error("queue \(index): \(error); the queue is closed")
                    active = nil
                    state?.inner.withLock { inner in
                        if inner.queue?.index == index { inner.queue?.closed = true; inner.queue?.pending = [] }
                    }
                }
            }
        }
    }

    /// Rank 0: the frames the queue folder's watcher found ready go to the queue (the readiness is checked again
    /// there); those it rejected to `rejected.csv`.
    private static func discover(_ watcher: FrameWatcher, state: ServeState, logger: Logger) {
        let (ready, rejected) = watcher.look()
        for path in ready { state.offer(path) { ServeFrames.accepts($0, pattern: state.pattern) } }
        if !rejected.isEmpty, let output = state.inner.withLock({ $0.queue?.output }) {
            WatchFiles(directory: output).reject(rejected, logger: logger)
        }
    }

    /// Rank 0: the next step, waiting up to 0.2 s for something to do.
    private static func next(_ state: ServeState, logger: Logger) -> (Step, ServeState.Opening?) {
        for attempt in 0..<2 {
            if StopSignal.received != nil { return (.stop, nil) }
            if let opening = state.inner.withLock({ $0.opening }) {
                let queue = opening.queue.withLock { $0 }
                if let queue {
                    return (.open(index: queue.index, calibration: opening.calibrationPath, directory: queue.directory,
                                  output: queue.output), opening)
                }
            }
            if let (index, ready) = readyFrames(state, logger: logger), !ready.isEmpty {
                return (.frames(index: index, paths: ready), nil)
            }
            if attempt == 0 { _ = state.wake.wait(timeout: .now() + 0.2) }
        }
        return (.idle, nil)
    }

    /// Rank 0: the pending frames that read in full now (tried outside the lock), removed from the queue; frames
    /// unreadable past the ready timeout are rejected (`rejected.csv`).
    private static func readyFrames(_ state: ServeState, logger: Logger) -> (Int, [String])? {
        guard let (index, pending, size, output) = state.inner.withLock({ inner -> (Int, [(path: String, since: Double)], (Int, Int), String)? in
            guard let queue = inner.queue, !queue.pending.isEmpty,
                  let rows = queue.calibration["Geometry"]?["Imagesize"]?[0]?.double,
                  let columns = queue.calibration["Geometry"]?["Imagesize"]?[1]?.double else { return nil }
            return (queue.index, queue.pending, (Int(rows), Int(columns)), queue.output)
        }) else { return nil }
        var ready: [String] = [], rejected: [(path: String, reason: String)] = []
        let now = ServeState.now()
        for entry in pending {
            if let problem = FrameReadiness.problem(entry.path, dataPath: nil, size: size) {
                if FrameReadiness.isFinal(problem) || now - entry.since >= state.readyTimeout {
                    rejected.append((entry.path, problem))
                }
            } else {
                ready.append(entry.path)
            }
        }
        let gone = Set(ready + rejected.map(\.path))
        let current = state.inner.withLock { inner -> Bool in
            guard inner.queue?.index == index else { return false }
            inner.queue?.pending.removeAll { gone.contains($0.path) }
            return true
        }
        guard current else { return nil }
        if !rejected.isEmpty { WatchFiles(directory: output).reject(rejected, logger: logger) }
        return (index, ready)
    }

    /// One epoch on every rank: the runner over the queue's frames so far plus `paths`; returns the new frames'
    /// first `.chi` files.
    private static func epoch(_ queue: inout Active, paths: [String], session: Session, logger: Logger) throws -> [String] {
        let started = Date()
        let all = queue.processed + paths
        let inputs = try FrameInputs(files: all, folder: queue.directory, dataPath: nil)
        let job = try queue.job.replacingInputs(inputs)
        let runOptions = RunOptions(
            outputDirectory: queue.output, seed: 0, batchSize: 16, overwrite: false, update: !queue.processed.isEmpty,
            configText: "", jobConfigText: "# serve queue \(queue.index)\n",
            version: Beamforge.version, timestamp: session.broadcast(Launch.timestamp()), showProgress: false)
        let summary = try Runner(session: session, options: runOptions, logger: logger).run(job)
        if case .interrupted = summary.status { session.finish(exitCode: ExitStatus.success) }
        queue.processed = all
        if session.isRoot {
            WatchFiles(directory: queue.output).record(epoch: 0, frames: paths, total: all.count,
                                                       seconds: Date().timeIntervalSince(started))
        }
        let bases = ChiLayout.mirror.bases(for: inputs)
        return bases.suffix(paths.count).map { queue.output + "/" + $0 + ".chi" }
    }

    private static func record(_ state: ServeState, index: Int, paths: [String], chi: [String]) {
        let now = ServeState.now()
        state.inner.withLock { inner in
            guard inner.queue?.index == index else { return }
            inner.queue?.processed += paths
            inner.queue?.chiFiles += chi
            inner.queue?.history += paths.map { _ in now }
        }
    }
}
