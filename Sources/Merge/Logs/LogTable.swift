import Core
import Foundation

/// One log table: tab-separated files with a header row whose first column is the time in seconds since the
/// table's epoch (SAXSDog's LogDataTables entry). Times are held as Unix seconds with the table's offset applied.
public struct LogTable: Sendable {
    /// The table's name; merged columns are named `<column> (<name>)` as SAXSDog names them.
    public let name: String
    /// Unix seconds of each row, rising.
    public private(set) var times: [Double]
    /// The columns after the time, in file order.
    public let columns: [String]
    /// values[c][row].
    public let values: [[Double]]
    /// The files the rows came from, in time order.
    public let files: [String]

    /// Reads `files` (each sorted in time; the files ordered by their first time and concatenated), converts
    /// `epoch` to Unix seconds and subtracts `offset` (the table's TimeOffset plus the global one, s).
    /// - Throws: ``ConfigError`` naming the file (and line) when the header or a value is not understood, times do
    ///   not rise, files overlap in time or disagree on their columns.
    public init(name: String, files: [String], epoch: LogEpoch, offset: Double) throws(ConfigError) {
        var parts: [(file: String, header: [String], times: [Double], values: [[Double]])] = []
        for file in files { parts.append(try Self.read(file)) }
        parts.sort { ($0.times.first ?? 0) < ($1.times.first ?? 0) }
        guard let first = parts.first else { throw ConfigError(key: name, "a log table needs at least one file") }
        for part in parts.dropFirst() where part.header != first.header {
            throw ConfigError(key: part.file, "its columns differ from those of \(first.file)")
        }
        for (a, b) in zip(parts, parts.dropFirst()) where b.times.first! <= a.times.last! {
            throw ConfigError(key: b.file, "its times overlap those of \(a.file): times must rise across the files of table \(name)")
        }
        self.name = name
        self.columns = Array(first.header.dropFirst())
        self.times = parts.flatMap(\.times).map { epoch.unixSeconds($0) - offset }
        self.values = columns.indices.map { c in parts.flatMap { $0.values[c] } }
        self.files = parts.map(\.file)
    }

    /// The table with every time moved by `delta` seconds (synchronisation).
    public func shifted(by delta: Double) -> LogTable {
        var copy = self
        copy.times = times.map { $0 + delta }
        return copy
    }

    /// One file: the header, the times and the values by column. Lines and fields are split as bytes (a String
    /// per line and Foundation's trimming made a 200 000-line log take seconds).
    static func read(_ file: String) throws(ConfigError) -> (file: String, header: [String], times: [Double], values: [[Double]]) {
        guard let data = FileManager.default.contents(atPath: file) else { throw ConfigError(key: file, "cannot read the log file") }
        let bytes = [UInt8](data)
        // Lines end in LF or CRLF, or in CR alone (classic Mac OS) in a file without any LF.
        let end = bytes.contains(UInt8(ascii: "\n")) ? UInt8(ascii: "\n") : UInt8(ascii: "\r")
        var lines = bytes.split(separator: end, omittingEmptySubsequences: false).map(trimmed)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw ConfigError(key: file, "empty log file (a header row is needed)") }
        let header = fields(headerLine).map { String(decoding: $0, as: UTF8.self) }
        guard header.count >= 2 else {
            throw ConfigError(key: file, "line 1: a tab-separated header of a time column and at least one value column is needed")
        }
        guard lines.count >= 2 else { throw ConfigError(key: file, "no rows after the header") }
        var times: [Double] = []
        times.reserveCapacity(lines.count - 1)
        var values = [[Double]](repeating: [], count: header.count - 1)
        for c in values.indices { values[c].reserveCapacity(lines.count - 1) }
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            let cells = fields(line)
            func text(_ c: Int) -> String { String(decoding: cells[c], as: UTF8.self) }
            guard cells.count == header.count else {
                throw ConfigError(key: file, "line \(number) has \(cells.count) fields where the header has \(header.count)")
            }
            guard let t = Double(text(0)), t.isFinite else {
                throw ConfigError(key: file, "line \(number): no time in the first column ('\(header[0])' = '\(text(0))'): "
                                  + "the first column must be seconds since the epoch")
            }
            if let last = times.last, t <= last {
                throw ConfigError(key: file, "line \(number): time \(text(0)) does not rise (the line before has \(last)): times must be strictly increasing")
            }
            times.append(t)
            for c in 1..<cells.count {
                if cells[c].isEmpty { values[c - 1].append(.nan); continue }
                guard let v = Double(text(c)) else {
                    throw ConfigError(key: file, "line \(number), column '\(header[c])': '\(text(c))' is not a number")
                }
                values[c - 1].append(v)
            }
        }
        return (file, header, times, values)
    }

    /// The tab-separated fields of a line, each without surrounding spaces.
    static func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map(trimmed)
    }

    /// `bytes` without leading and trailing spaces and carriage returns.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[first...last]
    }
}
