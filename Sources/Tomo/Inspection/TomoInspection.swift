import Batch
import Formats
import Foundation
import LibTIFF
import Plot
import Sinograms

/// `beamforge tomo-qc`: filtered back-projection of chosen sinograms of a finished `tomo.h5`, clean against each
/// striped variant, so that the rings the stripes cause can be seen and measured.
public struct TomoInspection {
    /// One reconstructed slice.
    public struct Slice {
        public var sample: Int
        public var row: Int
        /// `clean`, `stripe` or `shiftNN`.
        public var variant: String
        public var image: [Float]
        /// RMS of (this − clean reconstruction); 0 for clean.
        public var rmsFromClean: Double
    }

    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Reconstructs `rows` of items `items` (every variant) and writes `qc/<ssss>_row<kkkk>_<variant>.tif` (uint16,
    /// each slice scaled by its clean reconstruction's range), `qc/<ssss>_row<kkkk>.png` (the variants side by
    /// side) and `tomo_qc.csv`.
    /// - Throws: ``BatchError`` naming the file, or a message naming an item or row out of range.
    public func run(items: [Int]?, rows: [Int]?) throws -> [Slice] {
        let volume = try TomoVolume(directory: directory)
        defer { volume.close() }
        let chosenItems = items ?? [0]
        let chosenRows = rows ?? [volume.geometry.rows / 2]
        if let bad = chosenItems.first(where: { !(0..<volume.samples).contains($0) }) {
            throw BatchError(.output, "--item \(bad): \(volume.file.path) holds items 0..<\(volume.samples)", agreed: true)
        }
        if let bad = chosenRows.first(where: { !(0..<volume.geometry.rows).contains($0) }) {
            throw BatchError(.output, "--row \(bad): sinograms have rows 0..<\(volume.geometry.rows)", agreed: true)
        }
        var slices: [Slice] = []
        try FileManager.default.createDirectory(atPath: directory + "/qc", withIntermediateDirectories: true)
        let size = volume.geometry.size
        for item in chosenItems {
            for row in chosenRows {
                let reconstructed = try volume.reconstructions(item: item, row: row)
                let window = TomoVolume.window(reconstructed[0].image)
                let span = max(window.upperBound - window.lowerBound, .leastNormalMagnitude)
                for slice in reconstructed {
                    let name = String(format: "qc/%04d_row%04d_%@.tif", slice.sample, row, slice.variant)
                    let pixels = slice.image.map { GreyLevels.uint16(Double(($0 - window.lowerBound) / span)) }
                    try TIFF.write(pixels, rows: size, columns: size, to: directory + "/" + name,
                                   description: "FBP of row \(row) of sample \(slice.sample) (\(slice.variant)); grey "
                                       + "levels span the clean reconstruction's range \(window)")
                }
                let preview = String(format: "%@/qc/%04d_row%04d.png", directory, reconstructed[0].sample, row)
                do { try volume.reconstructionFigure(reconstructed).writePNG(to: preview, pixelsPerPoint: 1.5) } catch {
                    throw BatchError(.io, "\(error)", agreed: true)
                }
                slices += reconstructed
            }
        }
        var csv = "sample,row,variant,min,max,mean,rms_from_clean\n"
        for s in slices {
            let mean = s.image.reduce(0.0) { $0 + Double($1) } / Double(s.image.count)
            csv += "\(s.sample),\(s.row),\(s.variant),\(s.image.min() ?? 0),\(s.image.max() ?? 0),"
                + String(format: "%.6g,%.6g\n", mean, s.rmsFromClean)
        }
        try csv.write(toFile: directory + "/tomo_qc.csv", atomically: true, encoding: .utf8)
        return slices
    }
}
