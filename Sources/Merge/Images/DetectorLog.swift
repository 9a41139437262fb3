import Core
import Foundation

/// The `.log` files a Pilatus detector writes beside its images: after a title line, one line per image of
/// "Time Requested, Time Measured, End Date Time, File Name" separated by spaces (SAXSDog's `readimglog`): lines
/// starting with `----` are rules, a line of fewer than three fields has only the date and the name. An entry gives
/// the image's end and measured exposure, which win over the TIFF header's.
public struct DetectorLog: Sendable {
    /// One image's line.
    public struct Entry: Sendable, Equatable {
        /// The measured exposure (s), when the line has one.
        public let exposure: Double?
        /// The end of the exposure, Unix seconds (the date is read as UTC).
        public let end: Double
    }

    /// Entries by the file name the detector wrote (its image path and file name).
    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Adds the lines of the log at `path`.
    /// - Throws: ``ConfigError`` naming the file and line when a date cannot be read.
    public mutating func read(_ path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(key: path, "cannot read the detector log") }
        let lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty || line.hasPrefix("----") { continue }
            // A short line lacks the two times (SAXSDog prefixes "NaN NaN").
            let full = fields.count < 3 ? ["nan", "nan"] + fields : fields
            guard full.count >= 4 else {
                throw ConfigError(key: path, "line \(index + 1): expected Time Requested, Time Measured, End Date Time and File Name")
            }
            guard let end = ImageRecord.unixSeconds(full[2]) else {
                throw ConfigError(key: path, "line \(index + 1): '\(full[2])' is not a date (YYYY-MM-DDTHH:MM:SS[.fff])")
            }
            let measured = Double(full[1]).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            entries[full[3...].joined(separator: " ")] = Entry(exposure: measured, end: end)
        }
    }
}
