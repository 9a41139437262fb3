import ArgumentParser
import Batch
import Core
import Foundation
import Integration
import Serve
import ZMQ

/// `beamforge feeder DIR --bind URL`: SAXSDog's feeder: publishes a "new file" event for each frame file in DIR
/// once it reads in full (integrate --watch's discovery and readiness).
struct FeederCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeder",
        abstract: "Publish SAXSDog \"new file\" events (ZeroMQ PUB) for complete frames appearing in a directory.",
        discussion: """
            Frames are found as integrate --watch finds them (a sorted walk, then inotify, or polling on networked \
            file systems) and published once readable at the calibration's Imagesize, as \
            {"command": "new file", "argument": ABSOLUTE_PATH}. --replay S publishes every frame published so far \
            again every S seconds (for servers that subscribe later). Prints each path; ends on SIGINT or SIGTERM.
            """)

    @Argument(help: ArgumentHelp("The directory watched.", valueName: "DIR"))
    var directory: String

    @Option(name: .long, help: ArgumentHelp("Endpoint of the PUB socket (tcp://127.0.0.1:0 picks a port, printed).",
                                            valueName: "URL"))
    var bind = "tcp://127.0.0.1:0"

    @Option(name: .long, help: ArgumentHelp("The calibration whose Imagesize a complete frame has.", valueName: "FILE"))
    var calibration: String

    @Flag(name: .long, help: "Watch sub-directories too.")
    var recursive = false

    @Option(name: .long, help: ArgumentHelp("Only file names matching this wildcard.", valueName: "GLOB"))
    var pattern: String?

    @Option(name: .long, help: ArgumentHelp("Publish every frame again every S seconds.", valueName: "S"))
    var replay: Double?

    func run() throws {
        if let replay, !(replay > 0) { Launch.reject(ConfigError(key: "--replay", "must be more than 0 seconds")) }
        let size: (rows: Int, columns: Int)
        do {
            let loaded = try Calibration.load(calibration)
            size = (loaded.geometry.rows, loaded.geometry.columns)
        } catch {
            Launch.reject(ConfigError(key: "--calibration", "\(error)"))
        }
        var settings = WatchSettings(directory: directory)
        settings.recursive = recursive
        settings.pattern = pattern
        let watcher: FrameWatcher
        do { watcher = try FrameWatcher(settings: settings, dataPath: nil, size: size) } catch { Launch.reject(error) }
        StopSignal.install()
        let context: ZMQContext, publisher: FeederPublisher
        do {
            context = try ZMQContext()
            publisher = try FeederPublisher(context: context, bind: bind)
        } catch {
            Launch.reject(ConfigError(key: "--bind", "\(error)"))
        }
        if !ServeCommand.isLoopback(publisher.endpoint) {
            FileHandle.standardError.write(Data("beamforge: warning: the feeder \(publisher.endpoint) is reachable from other hosts\n".utf8))
        }
        FileHandle.standardOutput.write(Data("beamforge feeder: publishing on \(publisher.endpoint)\n".utf8))
        var published: [String] = []
        var lastReplay = Date()
        while StopSignal.received == nil {
            let (ready, rejected) = watcher.look()
            for path in ready {
                try? publisher.publish(path)
                published.append(path)
                FileHandle.standardOutput.write(Data((path + "\n").utf8))
            }
            for row in rejected {
                FileHandle.standardError.write(Data("beamforge: warning: not published: \(row.path): \(row.reason)\n".utf8))
            }
            if let replay, Date().timeIntervalSince(lastReplay) >= replay {
                for path in published { try? publisher.publish(path) }
                lastReplay = Date()
            }
            watcher.pause(0.2)
        }
        publisher.close()
        context.close()
    }
}
