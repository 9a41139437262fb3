import ArgumentParser
import Batch
import Core
import Formats
import Foundation
import Logging
import Serve
import ZMQ

/// `beamforge serve BASEDIR`: a resident integration server that speaks SAXSDog's ZeroMQ protocol (docs/serve.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Integrate frames as a resident server, driven by SAXSDog's leash protocol (ZeroMQ, signed JSON).",
        discussion: """
            Commands arrive on --saxsdog-bind (REP; default tcp://127.0.0.1:0, the port chosen printed on stdout); \
            frames arrive as SAXSDog feeder events on --feeder (SUB) or by the readdir command. Each `new` starts \
            OUT/queue-N (integrated.h5, chi/, processed.lst, rejected.csv). Requests are signed with the Secret of \
            entry --serverno of the network file. Ends on SIGINT or SIGTERM.
            """)

    @Argument(help: ArgumentHelp("The base directory: queues' Directory, listdir and feeder paths stay inside it.",
                                 valueName: "BASEDIR"))
    var base: String

    @Option(name: .customLong("saxsdog-bind"), help: ArgumentHelp(
        "Endpoint of the command socket (an address other than 127.0.0.1 is warned about).", valueName: "URL"))
    var bind = "tcp://127.0.0.1:0"

    @Option(name: .long, help: ArgumentHelp("A SAXSDog feeder to subscribe to for new-file events.", valueName: "URL"))
    var feeder: String?

    @Option(name: .long, help: ArgumentHelp("The network file (mode 0600).", valueName: "FILE"))
    var net: String = NetworkConfiguration.defaultPath

    @Option(name: .long, help: ArgumentHelp("This server's entry in the network file (from 0).", valueName: "N"))
    var serverno = 0

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder (queue-N per new queue).", valueName: "DIR"))
    var out = "serve-out"

    @Option(name: .long, help: ArgumentHelp("Only frame file names matching this wildcard.", valueName: "GLOB"))
    var pattern: String?

    @Option(name: .customLong("ready-timeout"), help: ArgumentHelp(
        "A frame still unreadable S seconds after its event goes to rejected.csv (default 60).", valueName: "S"))
    var readyTimeout = 60.0

    @Flag(name: .long, help: "Also watch each queue's folder (and sub-folders) for new frames, as integrate --watch does.")
    var watch = false

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, warning or error.", valueName: "level"))
    var logLevel = "info"

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            Launch.reject(ConfigError(key: "BASEDIR", "\(base) is not a directory"))
        }
        guard readyTimeout > 0 else { Launch.reject(ConfigError(key: "--ready-timeout", "must be more than 0 seconds")) }
        let secret: String
        do { secret = try NetworkConfiguration.read(net).entry(serverno, file: net).secret } catch {
            Launch.reject(ConfigError(key: "--net", error.description))
        }
        guard bind.hasPrefix("tcp://") || bind.hasPrefix("ipc://") else {
            Launch.reject(ConfigError(key: "--saxsdog-bind", "must be tcp://HOST:PORT or ipc://PATH (got \(bind))"))
        }
        let out = FrameInputs.absolute(self.out)
        StopSignal.install()
        let session = Session.start()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in RankLogHandler(label: label, rank: session.rank, level: level) }
        let logger = Logger(label: "beamforge")
        var state: ServeState?
        var stopEndpoints: () -> Void = {}
        if session.isRoot {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let shared = ServeState(base: ConfinedDirectory.realPath(base), out: out, pattern: pattern,
                                        readyTimeout: readyTimeout)
                let context = try ZMQContext()
                let log: @Sendable (String) -> Void = { Logger(label: "beamforge").warning("\($0)") }
                let service = SAXSDogService(secret: secret, backend: QueueBackend(state: shared))
                let endpoint = try ZMQCommandEndpoint(context: context, bind: bind, service: service, log: log)
                if !Self.isLoopback(endpoint.endpoint) {
                    logger.warning("the command endpoint \(endpoint.endpoint) is reachable from other hosts")
                }
                let subscriber = try feeder.map { url in
                    try FeederSubscriber(context: context, url: url, onFile: { path in
                        if let dropped = shared.offer(path, accepts: { ServeFrames.accepts($0, pattern: shared.pattern) }) {
                            log("feeder event dropped: \(dropped)")
                        }
                    }, log: log)
                }
                FileHandle.standardOutput.write(Data("beamforge serve: saxsdog endpoint \(endpoint.endpoint)\n".utf8))
                state = shared
                stopEndpoints = {
                    endpoint.stop()
                    subscriber?.stop()
                    context.close()
                }
            } catch {
                session.abort("\(error)", exitCode: ExitStatus.badInput)
            }
        }
        ServeLoop.run(session: session, state: state, watch: watch, logger: logger, stopEndpoints: stopEndpoints)
    }

    /// Whether a bound endpoint listens on the loopback interface only.
    static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") { return true }
        let host = endpoint.dropFirst("tcp://".count).split(separator: ":").dropLast().joined(separator: ":")
        return host.hasPrefix("127.") || host == "localhost" || host == "[::1]"
    }
}
