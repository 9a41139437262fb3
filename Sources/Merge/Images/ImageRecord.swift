import Core
import Formats
import Foundation

/// One detector image of the merge: where it is and when it was exposed (Unix seconds, UTC).
public struct ImageRecord: Sendable, Equatable {
    /// The path relative to the image directory.
    public let path: String
    /// The start and the length of the exposure (s).
    public let start: Double, exposure: Double

    public init(path: String, start: Double, exposure: Double) {
        (self.path, self.start, self.exposure) = (path, start, exposure)
    }

    /// The end of the exposure.
    public var end: Double { start + exposure }
    /// The time the image stands for: the middle of its exposure.
    public var time: Double { start + exposure / 2 }

    /// Which moment of the exposure a header's date gives.
    public enum Stamp: String, Sendable, CaseIterable {
        /// The end (SAXSDog: start = end − exposure).
        case end
        case start
    }

    /// The image at `path` (shown as `relative`): its end and exposure from the detector log's entry for the
    /// header's `Image_path` + file name when there is one, else from its Pilatus TIFF header (`# Exposure_time` and
    /// the date, DateTime or an ISO line, read as UTC; `stamp` says which moment of the exposure it is).
    /// - Throws: ``ConfigError`` naming the file when neither gives a date and an exposure time.
    public static func tiff(_ path: String, relative: String, stamp: Stamp, log: DetectorLog = DetectorLog()) throws(ConfigError) -> ImageRecord {
        let header: FrameHeader
        do { header = try SingleFrameTIFF(path: path).header(0) } catch { throw ConfigError(key: path, "\(error.message)") }
        let name = (path as NSString).lastPathComponent
        let entry = header.imagePath.flatMap { log.entries[$0 + name] ?? log.entries[$0 + "/" + name] }
        guard let exposure = entry?.exposure ?? header.exposureTime, exposure.isFinite, exposure >= 0 else {
            throw ConfigError(key: path, "the TIFF header has no '# Exposure_time' line")
        }
        if let entry { return ImageRecord(path: relative, start: entry.end - exposure, exposure: exposure) }
        guard let acquired = header.acquired, let date = unixSeconds(acquired) else {
            throw ConfigError(key: path, "the TIFF header has no date (DateTime or a '# YYYY-MM-DDTHH:MM:SS' line)")
        }
        return ImageRecord(path: relative, start: stamp == .end ? date - exposure : date, exposure: exposure)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff]` read as UTC (the detector writes no zone; beamforge never applies a local one).
    static func unixSeconds(_ iso: String) -> Double? {
        let parser = ISO8601DateFormatter()
        parser.timeZone = TimeZone(identifier: "UTC")
        let whole = String(iso.prefix(19))
        parser.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        guard let date = parser.date(from: whole) else { return nil }
        let fraction = iso.count > 19 ? Double("0" + iso.dropFirst(19)) ?? 0 : 0
        return date.timeIntervalSince1970 + fraction
    }
}
