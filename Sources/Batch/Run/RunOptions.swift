import Core

/// How a run is carried out (everything but the job itself). The CLI fills it from the config and flags.
public struct RunOptions: Sendable {
    /// The output directory (created if missing).
    public var outputDirectory: String
    /// The run's seed: every random stream is keyed by it.
    public var seed: UInt64
    /// Items per batch: what a rank is handed at a time and produces in one call.
    public var batchSize: Int
    /// How batches are handed to ranks.
    public var schedule: Schedule
    /// Collective writes come every `batchesPerWrite × ranks` batches handed out: each rank writes what it computed
    /// meanwhile in one call per dataset, then the done flags, and flushes. `--resume` loses at most that much.
    public var batchesPerWrite: Int
    /// Where to write the run's profile (per batch: rank, items, read and compute seconds; per write: seconds
    /// writing and waiting), a CSV for `scripts/bench scaling`; nil for none.
    public var profilePath: String?
    /// Continue a `.partial` file left by an interrupted run.
    public var resume: Bool
    /// Replace existing outputs instead of refusing.
    public var overwrite: Bool
    /// Bring a complete output up to date with the job's items: those it holds (by ``Job/itemKeys``) are copied,
    /// the new ones computed, giving the output of a fresh run over all of them.
    public var update: Bool
    /// Recompute exactly these items of a complete output and put them in place (every other item is kept).
    public var redo: [Int]?
    /// gzip level for chunked datasets, or nil for contiguous, uncompressed datasets (the fastest).
    public var compression: Int?
    /// Items per chunk when compressing.
    public var chunkItems: Int
    /// The fully resolved configuration, stored in the file as provenance.
    public var configText: String
    /// The part of the configuration that determines the results (the job's keys and the seed); `--resume`
    /// refuses a file made with a different one. Run mechanics (batch size, output directory) may change.
    public var jobConfigText: String
    /// The beamforge version, stored in the file.
    public var version: String
    /// The dataset timestamp given to items (ISO 8601, UTC).
    public var timestamp: String
    /// The metadata CSV's file name inside the output directory.
    public var metadataFileName: String
    /// Show progress on rank 0.
    public var showProgress: Bool
    /// Seconds between progress lines when standard error is not a terminal (job logs); nil: 60.
    public var progressInterval: Double?
    /// Compute the next batch on a second thread while the last one is written (true), or compute and write in
    /// turn (false); nil decides per run: overlap when the rank may use at least two CPUs and the node has two per
    /// rank, since a compute thread sharing its rank's only core slows the writes it waits for.
    public var overlap: Bool?

    /// Options for a run writing to `outputDirectory` with `seed`; the defaults give a fresh, uncompressed run.
    public init(outputDirectory: String, seed: UInt64, batchSize: Int = 64, resume: Bool = false,
                overwrite: Bool = false, update: Bool = false, redo: [Int]? = nil, compression: Int? = nil, chunkItems: Int = 64, configText: String = "",
                jobConfigText: String = "",
                version: String, timestamp: String, metadataFileName: String = "meta.csv", showProgress: Bool = true,
                overlap: Bool? = nil, schedule: Schedule = .dynamic, batchesPerWrite: Int = 4,
                profilePath: String? = nil, progressInterval: Double? = nil) {
        self.outputDirectory = outputDirectory
        self.seed = seed
        self.batchSize = batchSize
        self.resume = resume
        self.overwrite = overwrite
        self.update = update
        self.redo = redo
        self.compression = compression
        self.chunkItems = chunkItems
        self.configText = configText
        self.jobConfigText = jobConfigText
        self.version = version
        self.timestamp = timestamp
        self.metadataFileName = metadataFileName
        self.showProgress = showProgress
        self.overlap = overlap
        self.schedule = schedule
        self.batchesPerWrite = batchesPerWrite
        self.profilePath = profilePath
        self.progressInterval = progressInterval
    }
}

/// What a run did.
public struct RunSummary: Sendable {
    /// How a run ended.
    public enum Status: Sendable, Equatable {
        /// Every item is written and the outputs carry their final names.
        case complete
        /// The outputs were already complete; nothing was computed.
        case alreadyComplete
        /// A stop signal ended the run early; `--resume` continues it.
        case interrupted(signal: Int32)
    }

    /// How the run ended.
    public var status: Status
    /// The job's total number of items.
    public var itemCount: Int
    /// Items computed by this run (all ranks).
    public var itemsComputed: Int
    /// Wall-clock seconds of the run on this rank (0 when the outputs were already complete).
    public var seconds: Double
    /// The HDF5 output (its final name, or the `.partial` name when interrupted).
    public var outputFile: String
    /// The metadata CSV's path; the file exists only once the run is complete.
    public var metadataFile: String
    /// Global statistics by ``StatisticsSpec/resultName`` (one entry per feature, or one for the whole dataset).
    public var statistics: [String: [RunningStatistics]]
    /// Where this rank's main loop spent its time; nil when nothing was computed.
    public var phases: LoopPhases? = nil
}

/// Seconds one rank's main loop spent in each phase: reading a ``SourcedJob``'s inputs (reader thread), producing
/// items (compute thread), writing them (the main thread's collective writes, metadata and flushes), and the main
/// thread waiting for the other two. With overlap the three run at the same time and the loop takes about
/// write + wait seconds; without, about read + compute + write.
public struct LoopPhases: Sendable, Equatable, CustomStringConvertible {
    /// The whole loop, from the first round's start to the last round's write.
    public var loop: Double = 0
    /// Reading a ``SourcedJob``'s inputs (0 for other jobs, which read nothing or read while computing).
    public var read: Double = 0
    /// Producing items on the compute thread.
    public var compute: Double = 0
    /// The main thread's collective writes, metadata gathering and flushes.
    public var write: Double = 0
    /// The main thread waiting for the reader and compute threads.
    public var wait: Double = 0

    /// All phases at zero.
    public init() {}

    /// The phases in seconds on one line, as logged after a run.
    public var description: String {
        "\(Progress.fixed(loop, 3)) s: read \(Progress.fixed(read, 3)) s, compute \(Progress.fixed(compute, 3)) s, "
            + "write \(Progress.fixed(write, 3)) s, waiting \(Progress.fixed(wait, 3)) s"
    }
}

/// The files of one run.
struct OutputPaths {
    let directory: String
    let final: String
    let partial: String
    let metadata: String
    let spool: String

    init(directory: String, job: String, metadataFileName: String) {
        self.directory = directory
        final = directory + "/" + job + ".h5"
        partial = final + ".partial"
        metadata = directory + "/" + metadataFileName
        spool = metadata + ".spool"
    }
}
