import Core
import Formats
import Foundation

/// The scans of a run (the scan and its shifts), opened and checked against each other before any work.
public struct ScanSet: Sendable {
    /// One scan of the run and where its flats and darks come from.
    public struct Member: Sendable {
        public let scan: TomoScan
        /// The scan number (the file name's stem), which names its mask `m<number>`.
        public let number: String
        /// Where this scan's flats and darks come from.
        public let flats: TomoScan
    }

    public let members: [Member]
    public var projections: Int { members[0].scan.projectionFrames.count }
    public var rows: Int { members[0].scan.rows }
    public var columns: Int { members[0].scan.columns }

    /// Opens the scan, its shifts and the flats file.
    /// - Throws: ``FormatError`` or ``ConfigError`` naming the file, dataset or key at fault.
    public init(settings: StackSettings) throws {
        let url = URL(fileURLWithPath: settings.scan)
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        var files = [(path: settings.scan, number: stem)]
        if settings.shifts > 1 {
            guard let first = Int(stem) else {
                throw ConfigError(key: "shifts", "shift files are named by scan number (N+k\(suffix)), but "
                                  + "\(settings.scan) is not a number")
            }
            for k in 1..<settings.shifts {
                let number = String(first + k * settings.shiftStep)
                files.append((url.deletingLastPathComponent().appendingPathComponent(number + suffix).path, number))
            }
        }
        let missing = files.filter { !FileManager.default.fileExists(atPath: $0.path) }.map(\.path)
        if !missing.isEmpty {
            let what = missing.count == 1 ? "scan file" : "scan files"
            throw ConfigError(key: settings.shifts > 1 ? "shifts" : "scan",
                              "\(what) \(missing.joined(separator: ", ")) not found"
                              + (settings.shifts > 1 ? " (shift k of N\(suffix) is N+k·\(settings.shiftStep)\(suffix))" : ""))
        }
        let flatsScan = try settings.flatsFile.map { try TomoScan(path: $0, paths: settings.flatsPaths, projections: false) }
        var members: [Member] = []
        for file in files {
            let scan = try TomoScan(path: file.path, paths: settings.paths)
            let flats = flatsScan ?? scan
            // Refused rather than counted: a frame with no value leaves a whole angle (or every angle, for a flat)
            // without data, which no later step can tell from a real measurement.
            for checked in flatsScan == nil ? [scan] : [scan, flats] {
                if let frame = try checked.firstAllNaNFrame() {
                    throw FormatError(file: checked.path, message: "frame \(frame) of \(checked.paths.data) is all NaN "
                                      + "(a failed readout): remove it or its image key")
                }
            }
            if flats.flatFrames.isEmpty || flats.darkFrames.isEmpty {
                let lacking = flats.flatFrames.isEmpty && flats.darkFrames.isEmpty ? "flats or darks"
                    : flats.flatFrames.isEmpty ? "flats" : "darks"
                let keys = flats.keysMissing ? " (it has no image key at \(flats.paths.imageKey))" : ""
                throw FormatError(file: flats.path, message: "no \(lacking) (image key 1 and 2 in "
                                  + "\(flats.paths.imageKey))\(keys); pass --flats FILE with flat and dark frames")
            }
            if flats.shape.dropFirst() != scan.shape.dropFirst() {
                throw FormatError(file: flats.path, message: "flat and dark frames of \(flats.rows)×\(flats.columns) "
                                  + "pixels do not match the \(scan.rows)×\(scan.columns) frames of \(scan.path)")
            }
            if let first = members.first {
                guard scan.shape.dropFirst() == first.scan.shape.dropFirst(),
                      scan.projectionFrames.count == first.scan.projectionFrames.count else {
                    throw FormatError(file: scan.path, message: "\(scan.projectionFrames.count) projections of "
                                      + "\(scan.rows)×\(scan.columns) differ from the \(first.scan.projectionFrames.count) "
                                      + "of \(first.scan.rows)×\(first.scan.columns) in \(first.scan.path)")
                }
            }
            members.append(Member(scan: scan, number: file.number, flats: flats))
        }
        self.members = members
    }
}
