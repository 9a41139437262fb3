import Core
import Formats
import Foundation

/// SAXSDog's merge configuration (`saxsdmerge -C conf.json`, the `mergeconf` of its server): a global
/// `TimeOffset` and `LogDataTables`, each with `Name`, `TimeEpoch` (`Mac` or `Unix`), `TimeOffset`,
/// `FirstImageCorrelation`, `ZeroImageCorrelation` and `Files` (`LocalPath`, or `Path`/`RemotePath` as path
/// components). `OutputFormats`, `OutputFileBaseName` (the doc's `OutputFileName`) and `HDFOptions` are accepted
/// and have no effect: beamforge writes its own three outputs.
public struct MergeConfig: Sendable {
    /// One log table.
    public struct Table: Sendable, Equatable {
        public let name: String
        public let files: [String]
        public let epoch: LogEpoch
        public let offset: Double
        public let firstImage: Bool, zeroImage: Bool

        public init(name: String, files: [String], epoch: LogEpoch, offset: Double, firstImage: Bool, zeroImage: Bool) {
            (self.name, self.files, self.epoch, self.offset) = (name, files, epoch, offset)
            (self.firstImage, self.zeroImage) = (firstImage, zeroImage)
        }
    }

    public let timeOffset: Double
    public let tables: [Table]

    static let rootKeys: Set<String> = ["TimeOffset", "LogDataTables", "OutputFormats", "OutputFileBaseName",
                                        "OutputFileName", "HDFOptions"]
    static let tableKeys: Set<String> = ["Name", "TimeEpoch", "TimeOffset", "FirstImageCorrelation",
                                         "ZeroImageCorrelation", "Files"]

    /// Reads `path`; relative log paths are taken from the configuration's folder.
    /// - Throws: ``ConfigError`` naming the file and the key at fault.
    public init(contentsOf path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(key: path, "cannot read the merge configuration") }
        let json: JSONValue
        do { json = try JSONValue(parsing: String(decoding: data, as: UTF8.self), file: path) } catch { throw ConfigError(error.description) }
        guard case .object(let root) = json else { throw ConfigError(key: path, "the merge configuration must be a JSON object") }
        for member in root where !Self.rootKeys.contains(member.key) {
            throw ConfigError(key: "\(path): \(member.key)", "unknown key (known: \(Self.rootKeys.sorted().joined(separator: ", ")))")
        }
        let folder = (path as NSString).deletingLastPathComponent
        timeOffset = try Self.number(json["TimeOffset"], key: "\(path): TimeOffset")
        guard case .array(let entries)? = json["LogDataTables"], !entries.isEmpty else {
            throw ConfigError(key: "\(path): LogDataTables", "must be a non-empty list of tables")
        }
        var tables: [Table] = []
        for (i, entry) in entries.enumerated() {
            let key = "\(path): LogDataTables[\(i)]"
            guard case .object(let members) = entry else { throw ConfigError(key: key, "must be an object") }
            for member in members where !Self.tableKeys.contains(member.key) {
                throw ConfigError(key: "\(key).\(member.key)", "unknown key (known: \(Self.tableKeys.sorted().joined(separator: ", ")))")
            }
            guard case .string(let name)? = entry["Name"], !name.isEmpty else { throw ConfigError(key: "\(key).Name", "must be a non-empty string") }
            let epochName: String
            switch entry["TimeEpoch"] {
            case nil, .null?: epochName = "Unix"
            case .string(let text)?: epochName = text
            default: throw ConfigError(key: "\(key).TimeEpoch", "must be \"Mac\" or \"Unix\"")
            }
            guard let epoch = LogEpoch(rawValue: epochName.lowercased()) else {
                throw ConfigError(key: "\(key).TimeEpoch", "must be \"Mac\" or \"Unix\" (got \"\(epochName)\")")
            }
            tables.append(Table(name: name, files: try Self.files(entry["Files"], key: "\(key).Files", folder: folder), epoch: epoch,
                                offset: try Self.number(entry["TimeOffset"], key: "\(key).TimeOffset"),
                                firstImage: try Self.flag(entry["FirstImageCorrelation"], key: "\(key).FirstImageCorrelation"),
                                zeroImage: try Self.flag(entry["ZeroImageCorrelation"], key: "\(key).ZeroImageCorrelation")))
        }
        self.tables = tables
    }

    static func number(_ value: JSONValue?, key: String) throws(ConfigError) -> Double {
        guard let value, value != .null else { return 0 }
        guard let number = value.double, number.isFinite else { throw ConfigError(key: key, "must be a number of seconds") }
        return number
    }

    static func flag(_ value: JSONValue?, key: String) throws(ConfigError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let b)?: return b
        default: throw ConfigError(key: key, "must be true or false")
        }
    }

    /// Each file's path: `LocalPath` when set, else `Path` or `RemotePath` joined with `/`.
    static func files(_ value: JSONValue?, key: String, folder: String) throws(ConfigError) -> [String] {
        guard case .array(let entries)? = value, !entries.isEmpty else { throw ConfigError(key: key, "must be a non-empty list") }
        var paths: [String] = []
        for (i, entry) in entries.enumerated() {
            func components(_ name: String) -> [String]? {
                guard case .array(let parts)? = entry[name] else { return nil }
                let strings = parts.compactMap { part -> String? in if case .string(let s) = part { return s } else { return nil } }
                return strings.count == parts.count && !strings.isEmpty ? strings : nil
            }
            let path: String
            if case .string(let local)? = entry["LocalPath"], !local.isEmpty {
                path = local
            } else if let parts = components("Path") ?? components("RemotePath") {
                path = parts.joined(separator: "/")
            } else {
                throw ConfigError(key: "\(key)[\(i)]", "needs LocalPath or Path/RemotePath (a list of path components)")
            }
            paths.append(path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path)
        }
        return paths
    }
}
