import ArgumentParser
import Core
import Integration

/// The flags of `integrate --watch DIR`.
struct WatchArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Integrate frames as they appear in this directory (inotify; polling on networked file systems) until "
            + "a signal, --until-idle or --max-frames; the inputs are the frames found, in the order handed out.",
        valueName: "dir"))
    var watch: String?

    @Option(name: .long, help: ArgumentHelp("With --watch: look for new files every S seconds instead of using "
                                            + "inotify (default: inotify, or polling every 2 s on NFS, GPFS, "
                                            + "Lustre, CIFS and FUSE).", valueName: "S"))
    var poll: Double?

    @Option(name: .long, help: ArgumentHelp("With --watch: try a file that got no close event once its size has "
                                            + "not changed for MS milliseconds (default 200).", valueName: "MS"))
    var settle: Double?

    @Option(name: .customLong("ready-timeout"), help: ArgumentHelp(
        "With --watch: a file still unreadable S seconds after it appeared goes to OUT/rejected.csv (default 60).",
        valueName: "S"))
    var readyTimeout: Double?

    @Option(name: .long, help: ArgumentHelp("With --watch: frames ready within S seconds of the first go out "
                                            + "together, as one epoch (default 1).", valueName: "S"))
    var epoch: Double?

    @Option(name: .customLong("until-idle"), help: ArgumentHelp(
        "With --watch: end once no new frame has appeared and none is waiting for S seconds.", valueName: "S"))
    var untilIdle: Double?

    @Option(name: .customLong("max-frames"), help: ArgumentHelp("With --watch: end after K frames.", valueName: "K"))
    var maxFrames: Int?

    /// The watch settings (nil without --watch), checked; `recursive` and `pattern` come from the command.
    func settings(recursive: Bool, pattern: String?) throws(ConfigError) -> WatchSettings? {
        guard let watch else {
            let given: [(String, Bool)] = [("--poll", poll != nil), ("--settle", settle != nil),
                                           ("--ready-timeout", readyTimeout != nil), ("--epoch", epoch != nil),
                                           ("--until-idle", untilIdle != nil), ("--max-frames", maxFrames != nil)]
            if let flag = given.first(where: \.1)?.0 { throw ConfigError(key: flag, "only applies with --watch DIR") }
            return nil
        }
        var settings = WatchSettings(directory: watch)
        settings.recursive = recursive
        settings.pattern = pattern
        settings.poll = poll
        if let settle { settings.settle = settle / 1000 }
        if let readyTimeout { settings.readyTimeout = readyTimeout }
        if let epoch { settings.epoch = epoch }
        settings.untilIdle = untilIdle
        settings.maxFrames = maxFrames
        try settings.validate()
        return settings
    }
}
