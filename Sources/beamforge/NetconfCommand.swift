import ArgumentParser
import Core
import Foundation
import Serve

/// `beamforge netconf [--new]`: SAXSDog's saxsnetconf: writes or shows the network file.
struct NetconfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "netconf",
        abstract: "Write (--new) or show the SAXSDog network file (servers, feeders, secrets).",
        discussion: """
            --new writes one entry (Server tcp://127.0.0.1:9723, Feeder tcp://127.0.0.1:9823, a 256-bit Secret \
            from the system's generator) with mode 0600, refusing to replace a file unless --force. Without --new \
            the entries are listed without their secrets; a file its group or others may read is refused.
            """)

    @Flag(name: [.customShort("n"), .long], help: "Write a new file.")
    var new = false

    @Flag(name: .long, help: "With --new: replace an existing file.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("The network file.", valueName: "FILE"))
    var file: String = NetworkConfiguration.defaultPath

    func run() throws {
        if new {
            if FileManager.default.fileExists(atPath: file) && !force {
                Launch.reject(ConfigError(key: "--new", "\(file) exists: pass --force to replace it (its secrets are lost)"))
            }
            do { try NetworkConfiguration.fresh().write(to: file) } catch {
                Launch.reject(ConfigError(key: "--file", error.description))
            }
            FileHandle.standardOutput.write(Data("wrote \(file) (mode 0600)\n".utf8))
            return
        }
        let configuration: NetworkConfiguration
        do { configuration = try NetworkConfiguration.read(file) } catch {
            Launch.reject(ConfigError(key: "--file", error.description))
        }
        for (i, entry) in configuration.entries.enumerated() {
            FileHandle.standardOutput.write(Data("\(i) \(entry.name): server \(entry.server), feeder \(entry.feeder)\n".utf8))
        }
    }
}
