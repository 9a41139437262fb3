import Core

/// How `integrate --watch DIR` finds and hands out frames (the command line's watch flags, checked).
public struct WatchSettings: Sendable, Equatable {
    /// The directory watched.
    public var directory: String
    /// Watch its sub-directories too, including those created later.
    public var recursive = false
    /// Only file names matching this shell wildcard.
    public var pattern: String?
    /// Poll every this many seconds instead of inotify; nil picks inotify on local file systems and polling every
    /// ``defaultPoll`` seconds on networked ones.
    public var poll: Double?
    /// A file whose size has not changed for this long (and that got no close event) is tried.
    public var settle = 0.2
    /// A file still unreadable this long after it was first seen is rejected (`OUT/rejected.csv`).
    public var readyTimeout = 60.0
    /// Frames ready within this long of the first one go out in one epoch.
    public var epoch = 1.0
    /// End after this long with no new frame and none waiting; nil runs until a signal.
    public var untilIdle: Double?
    /// End after this many frames; nil for no limit.
    public var maxFrames: Int?

    /// The polling interval on networked file systems, where inotify misses other hosts' writes.
    public static let defaultPoll = 2.0

    public init(directory: String) { self.directory = directory }

    /// Checks every value, naming the flag at fault.
    public func validate() throws(ConfigError) {
        if let poll, !(poll > 0 && poll <= 3600) { throw ConfigError(key: "--poll", "must be more than 0 and at most 3600 seconds") }
        guard settle >= 0 && settle <= 3600 else { throw ConfigError(key: "--settle", "must be 0 to 3600000 milliseconds") }
        guard readyTimeout > 0 && readyTimeout <= 86_400 else {
            throw ConfigError(key: "--ready-timeout", "must be more than 0 and at most 86400 seconds")
        }
        guard epoch > 0 && epoch <= 3600 else { throw ConfigError(key: "--epoch", "must be more than 0 and at most 3600 seconds") }
        if let untilIdle, !(untilIdle > 0) { throw ConfigError(key: "--until-idle", "must be more than 0 seconds") }
        if let maxFrames, maxFrames < 1 { throw ConfigError(key: "--max-frames", "must be at least 1") }
        if untilIdle != nil && maxFrames != nil {
            throw ConfigError(key: "--until-idle", "give --until-idle or --max-frames, not both")
        }
    }
}
