import Batch
import Formats
import Foundation
import LibTIFF
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
    /// each slice scaled by its clean reconstruction's range) and `tomo_qc.csv`.
    /// - Throws: ``BatchError`` naming the file, or a message naming an item or row out of range.
    public func run(items: [Int]?, rows: [Int]?) throws -> [Slice] {
        let file = try JobOutputFile(directory: directory, job: "tomo")
        defer { try? file.close() }
        let shape = try file.shape("clean")
        guard shape.count == 4 else { throw BatchError(.io, "\(file.path): /tomo/clean is not 4-D", agreed: true) }
        let (samples, n, angles, columns) = (shape[0], shape[1], shape[2], shape[3])
        guard case .int(let size)? = try file.attribute("N"), case .int(let start)? = try file.attribute("sample_start")
        else { throw BatchError(.io, "\(file.path): /tomo lacks the N and sample_start attributes", agreed: true) }
        let geometry = TomoGeometry(size: Int(size))
        guard geometry.rows == n && geometry.angleCount == angles && geometry.columns == columns else {
            throw BatchError(.io, "\(file.path): /tomo/clean's shape \(shape) does not match N = \(size)", agreed: true)
        }
        let chosenItems = items ?? [0]
        let chosenRows = rows ?? [n / 2]
        if let bad = chosenItems.first(where: { !(0..<samples).contains($0) }) {
            throw BatchError(.output, "--item \(bad): \(file.path) holds items 0..<\(samples)", agreed: true)
        }
        if let bad = chosenRows.first(where: { !(0..<n).contains($0) }) {
            throw BatchError(.output, "--row \(bad): sinograms have rows 0..<\(n)", agreed: true)
        }
        var variants: [(name: String, dataset: String, shift: Int?)] = [("clean", "clean", nil)]
        if let stripe = try? file.shape("stripe"), stripe.count == 4 { variants.append(("stripe", "stripe", nil)) }
        if let shifts = try? file.shape("shifts"), shifts.count == 5 {
            variants += (0..<shifts[1]).map { (String(format: "shift%02d", $0), "shifts", $0) }
        }

        let fbp = FilteredBackProjection(geometry: geometry)
        var slices: [Slice] = []
        try FileManager.default.createDirectory(atPath: directory + "/qc", withIntermediateDirectories: true)
        for item in chosenItems {
            for row in chosenRows {
                var cleanImage: [Float] = []
                var window: ClosedRange<Float> = 0...1
                for v in variants {
                    let offset = v.shift.map { [item, $0, row, 0, 0] } ?? [item, row, 0, 0]
                    let count = v.shift.map { _ in [1, 1, 1, angles, columns] } ?? [1, 1, angles, columns]
                    let sinogram = try file.floats(v.dataset, offset: offset, count: count)
                    let image = fbp.reconstruct(sinogram.span)
                    var rms = 0.0
                    if v.name == "clean" {
                        cleanImage = image
                        window = (image.min() ?? 0)...(image.max() ?? 1)
                    } else {
                        for (a, b) in zip(image, cleanImage) { rms += Double(a - b) * Double(a - b) }
                        rms = (rms / Double(image.count)).squareRoot()
                    }
                    let sample = Int(start) + item
                    let name = String(format: "qc/%04d_row%04d_%@.tif", sample, row, v.name)
                    let span = max(window.upperBound - window.lowerBound, .leastNormalMagnitude)
                    let pixels = image.map { GreyLevels.uint16(Double(($0 - window.lowerBound) / span)) }
                    try TIFF.write(pixels, rows: geometry.size, columns: geometry.size, to: directory + "/" + name,
                                   description: "FBP of row \(row) of sample \(sample) (\(v.name)); grey levels span "
                                       + "the clean reconstruction's range \(window)")
                    slices.append(Slice(sample: sample, row: row, variant: v.name, image: image, rmsFromClean: rms))
                }
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
