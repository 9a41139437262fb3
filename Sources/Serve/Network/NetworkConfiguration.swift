import Foundation
import Formats
import POSIX

/// SAXSDog's network file (`~/.saxsdognetwork`): a JSON list of servers, each `{"Server": "tcp://host:port",
/// "Feeder": "tcp://host:port", "Secret": s, "Name": n}` and no other keys. It holds secrets, so it is written with
/// mode 0600 and a file that its group or others may read is refused.
public struct NetworkConfiguration: Sendable, Equatable {
    /// One server's entry.
    public struct Entry: Sendable, Equatable {
        public var server: String
        public var feeder: String
        public var secret: String
        public var name: String

        public init(server: String, feeder: String, secret: String, name: String) {
            self.server = server
            self.feeder = feeder
            self.secret = secret
            self.name = name
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The default location, `~/.saxsdognetwork`.
    public static var defaultPath: String { NSHomeDirectory() + "/.saxsdognetwork" }

    /// SAXSDog's defaults for a new file, with a fresh secret.
    public static func fresh() -> NetworkConfiguration {
        NetworkConfiguration(entries: [Entry(server: "tcp://127.0.0.1:9723", feeder: "tcp://127.0.0.1:9823",
                                             secret: newSecret(), name: "saxsdog")])
    }

    /// 256 bits from the system's generator (getrandom), as 64 hex digits. SAXSDog used 120 bits of a Mersenne
    /// Twister.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return SAXSDogSignature.hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Reads the file.
    /// - Throws: ``NetworkConfigurationError`` naming the file: missing, readable by its group or others, not
    ///   SAXSDog's list (a missing or unknown key is named with its entry's index).
    public static func read(_ path: String) throws(NetworkConfigurationError) -> NetworkConfiguration {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw NetworkConfigurationError(path, "cannot be read (create it with `beamforge netconf --new`)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o077 == 0 else {
            throw NetworkConfigurationError(path, "holds secrets but its group or others may access it (mode "
                                            + String(mode, radix: 8) + "): chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NetworkConfigurationError(path, "cannot be read")
        }
        let root: JSONValue
        do { root = try JSONValue(parsing: String(decoding: data, as: UTF8.self), file: path) } catch {
            throw NetworkConfigurationError(path, error.message)
        }
        guard case .array(let list) = root, !list.isEmpty else {
            throw NetworkConfigurationError(path, "must be a JSON list of servers")
        }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            guard case .object(let members) = item else { throw NetworkConfigurationError(path, "[\(i)] must be an object") }
            let keys = ["Server", "Feeder", "Secret", "Name"]
            if let extra = members.first(where: { !keys.contains($0.key) }) {
                throw NetworkConfigurationError(path, "[\(i)].\(extra.key): unknown key (allowed: \(keys.joined(separator: ", ")))")
            }
            var values: [String] = []
            for key in keys {
                guard case .string(let value)? = item[key] else {
                    throw NetworkConfigurationError(path, "[\(i)].\(key): a string is required")
                }
                values.append(value)
            }
            guard !values[2].isEmpty else { throw NetworkConfigurationError(path, "[\(i)].Secret: must not be empty") }
            entries.append(Entry(server: values[0], feeder: values[1], secret: values[2], name: values[3]))
        }
        return NetworkConfiguration(entries: entries)
    }

    /// The entry number `index`.
    /// - Throws: ``NetworkConfigurationError`` when there is no such entry.
    public func entry(_ index: Int, file: String) throws(NetworkConfigurationError) -> Entry {
        guard entries.indices.contains(index) else {
            throw NetworkConfigurationError(file, "has \(entries.count) server(s); --serverno \(index) is not one of them")
        }
        return entries[index]
    }

    /// The file's text: SAXSDog's list, indented.
    public var text: String {
        JSONValue.array(entries.map {
            .object([("Server", .string($0.server)), ("Feeder", .string($0.feeder)), ("Secret", .string($0.secret)),
                     ("Name", .string($0.name))])
        }).pythonDumps(indent: 4) + "\n"
    }

    /// Writes the file with mode 0600 (created so, never readable by others in between), replacing it.
    public func write(to path: String) throws(NetworkConfigurationError) {
        let temporary = path + ".partial"
        _ = FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw NetworkConfigurationError(path, "cannot be written")
        }
        do {
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            try FileSystem.rename(temporary, to: path)
        } catch {
            throw NetworkConfigurationError(path, "cannot be written: \(error.localizedDescription)")
        }
    }
}

/// A network file that cannot be used: the file and why.
public struct NetworkConfigurationError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let message: String
    init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}
