import Foundation
import Logging

/// A swift-log handler that prefixes each line with the rank and writes to standard error.
///
/// Informational messages come from rank 0 only (every rank would say the same); warnings and errors come from
/// every rank, since they may be local.
public struct RankLogHandler: LogHandler {
    /// The lowest level logged.
    public var logLevel: Logger.Level
    /// Metadata appended to every line as sorted `key=value` pairs (the `rank` entry is left out).
    public var metadata: Logger.Metadata = [:]
    private let rank: Int
    private let label: String

    /// A handler for `rank` that logs at `level` and above; `label` is the logger's label (not printed).
    public init(label: String, rank: Int, level: Logger.Level) {
        self.label = label
        self.rank = rank
        self.logLevel = level
        metadata["rank"] = "\(rank)"
    }

    /// The metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line, `beamforge[rank] level: message key=value ...`, to standard error; below warning, rank 0 only.
    public func log(event: LogEvent) {
        if rank != 0 && event.level < .warning { return }
        var extra = metadata.merging(event.metadata ?? [:]) { $1 }
        extra["rank"] = nil
        let suffix = extra.isEmpty ? "" : " " + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: " ")
        let line = "beamforge[\(rank)] \(event.level): \(event.message)\(suffix)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
