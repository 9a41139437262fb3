import ArgumentParser
import Core
import Foundation
import Formats
import Serve

/// `beamforge leash CMD`: SAXSDog's saxsleash over ZeroMQ: one signed request, the reply printed.
struct LeashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leash",
        abstract: "Send one command to a SAXSDog-compatible server (beamforge serve or SAXSDog) and print its reply.",
        discussion: """
            Commands: new CAL.json (its Masks' files go as attachments), close, abort, readdir, stat, get, plot, \
            listdir [COMPONENT...], fileslist. The request is signed with the Secret of entry --serverno of the \
            network file; no reply within --timeout seconds prints SAXSDog's Timeout reply and exits 1.
            """)

    static let verbs = ["new", "close", "abort", "readdir", "stat", "get", "plot", "listdir", "fileslist"]

    @Argument(help: ArgumentHelp("The command.", valueName: "CMD"))
    var command: String

    @Argument(help: ArgumentHelp("Its arguments: new's calibration file, listdir's path components.", valueName: "ARGS"))
    var arguments: [String] = []

    @Option(name: .long, help: ArgumentHelp("The server's command endpoint (default: the network file's Server).",
                                            valueName: "URL"))
    var zmq: String?

    @Option(name: .long, help: ArgumentHelp("The network file (mode 0600).", valueName: "FILE"))
    var net: String = NetworkConfiguration.defaultPath

    @Option(name: [.customShort("N"), .long], help: ArgumentHelp("The server's entry in the network file.", valueName: "N"))
    var serverno = 0

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the reply (SAXSDog: 100).", valueName: "S"))
    var timeout = 100.0

    func run() throws {
        guard Self.verbs.contains(command) else {
            Launch.reject(ConfigError(key: "CMD", "\(command) is not one of \(Self.verbs.joined(separator: ", "))"))
        }
        guard timeout > 0 else { Launch.reject(ConfigError(key: "--timeout", "must be more than 0 seconds")) }
        let entry: NetworkConfiguration.Entry
        do { entry = try NetworkConfiguration.read(net).entry(serverno, file: net) } catch {
            Launch.reject(ConfigError(key: "--net", error.description))
        }
        var argument = JSONValue.object([])
        var attachments: [[UInt8]] = []
        switch command {
        case "new":
            guard arguments.count == 1 else { Launch.reject(ConfigError(key: "new", "takes one calibration file")) }
            (argument, attachments) = Self.newArgument(arguments[0])
        case "listdir":
            argument = .object([("directory", .array(arguments.map { .string($0) }))])
        default:
            guard arguments.isEmpty else { Launch.reject(ConfigError(key: command, "takes no arguments")) }
        }
        let request = LeashClient.request(command, argument: argument, secret: entry.secret,
                                          time: Date().timeIntervalSince1970)
        let reply: String
        do { reply = try LeashClient.send(request, attachments: attachments, to: zmq ?? entry.server, timeout: timeout) } catch {
            Launch.reject(ConfigError(key: "--zmq", "\(error)"))
        }
        FileHandle.standardOutput.write(Data((reply + "\n").utf8))
        if reply == LeashClient.timeoutReply.pythonDumps { throw ExitCode(1) }
    }

    /// new's argument (the calibration as written) and its mask attachments, one per `Masks[i]`, read as the
    /// calibration loader finds them (relative to the calibration's folder, else beside it).
    static func newArgument(_ path: String) -> (JSONValue, [[UInt8]]) {
        guard let data = FileManager.default.contents(atPath: path),
              let calibration = try? JSONValue(parsing: String(decoding: data, as: UTF8.self), file: path) else {
            Launch.reject(ConfigError(key: "new", "\(path) is not a readable JSON calibration"))
        }
        let folder = (path as NSString).deletingLastPathComponent
        var attachments: [[UInt8]] = []
        if case .array(let masks)? = calibration["Masks"] {
            for (i, mask) in masks.enumerated() {
                guard case .string(let file)? = mask["MaskFile"] else {
                    Launch.reject(ConfigError(key: "Masks[\(i)].MaskFile", "is required (\(path))"))
                }
                let candidates = file.hasPrefix("/") ? [file]
                    : [folder.isEmpty ? file : folder + "/" + file, (folder.isEmpty ? "" : folder + "/") + (file as NSString).lastPathComponent]
                guard let bytes = candidates.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first else {
                    Launch.reject(ConfigError(key: "Masks[\(i)].MaskFile", "\(file) cannot be read (\(path))"))
                }
                attachments.append(Attachment.frame(filename: file, bytes: Array(bytes)))
            }
        }
        return (.object([("calibration", calibration)]), attachments)
    }
}
