import Foundation
import Plot
import Report
import Sinograms

/// `beamforge report` of a `tomo` output: the phantom's slice, the clean and striped (or shifted) sinograms of one
/// row side by side, and their filtered back-projections (what `tomo-qc` computes). Reads the phantom table and
/// one sinogram per variant.
public enum TomoReport {
    /// The report of the tomo run in `directory`. `configuration` is the run's own (decoded from the file's
    /// `config` attribute by the caller): in complex mode it lets the page redraw the first sample's detector, the
    /// flat field and the defect maps, from the seed as the run drew them.
    public static func document(directory: String, configuration: TomoConfig? = nil) throws -> ReportDocument {
        let volume = try TomoVolume(directory: directory)
        defer { volume.close() }
        let geometry = volume.geometry
        let item = 0
        let row = try showingRow(volume, item: item)
        let summary = ReportSection.summary(provenance: try volume.file.provenance(), statistics: try volume.file.statistics(),
                                            paragraphs: ["\(volume.samples) samples of N = \(geometry.size): \(geometry.rows) rows, "
                                                + "\(geometry.angleCount) angles over 0–179.9°, \(geometry.columns) columns; variants: "
                                                + volume.variants.map(\.name).joined(separator: ", ") + "."])
        let sinograms = try sinogramFigure(volume, item: item, row: row)
        let slices = try volume.reconstructions(item: item, row: row)
        var reconstruction = volume.reconstructionFigure(slices)
        reconstruction.title = nil
        let phantom = try phantomFigure(volume, item: item, row: row)
        var detector: [ReportSection] = []
        if let configuration, let settings = try? configuration.settings(), settings.mode == .complex,
           settings.size == geometry.size, let seed = try storedSeed(volume) {
            detector = [ReportSection("Detector", paragraphs: [
                "The simulated detector of sample \(volume.firstSample + item), redrawn from the seed: the beam profile "
                    + "(flat field, maximum 1) and the three defect maps (constant offset, sinusoidal and exponential "
                    + "response, jointly scaled to maximum 1), detector rows downwards.",
            ], figures: [detectorFigure(DetectorModel(rows: geometry.rows, columns: geometry.columns,
                                                      settings: settings.flatField, seed: seed,
                                                      sample: volume.firstSample + item))])]
        }
        return ReportDocument(
            title: "Tomography dataset: \(directory)", subtitle: "beamforge tomo · \(volume.samples) samples",
            sections: [
                summary,
                ReportSection("Sinograms", paragraphs: [
                    "Row \(row) of sample \(volume.firstSample + item) (of nine rows of the middle half, the one whose first variant differs most from "
                        + "clean): the clean sinogram and each striped or "
                        + "shifted measurement of it, angle downwards, detector column across.",
                ], figures: [sinograms]),
            ] + detector + [
                ReportSection("Reconstructions", paragraphs: [
                    "The phantom's slice through the same row, and the filtered back-projections (Ram-Lak) of each "
                        + "sinogram in one grey scale (the clean reconstruction's range), so the rings stripes cause "
                        + "show; RMS is the difference from the clean reconstruction.",
                ], figures: [phantom, ReportFigure("Filtered back-projections of row \(row), clean against each variant.",
                                                   reconstruction)]),
            ],
            appendix: try volume.file.configuration().map { ("Configuration", $0) })
    }

    /// Of 9 rows spread over the detector's middle half (N/2 among them; the outer rows miss most spheres), the one where the first striped or shifted variant
    /// differs most from clean: defects are sparse, and a row without any shows nothing.
    static func showingRow(_ volume: TomoVolume, item: Int) throws -> Int {
        let middle = volume.geometry.rows / 2
        guard volume.variants.count > 1 else { return middle }
        var best = (row: middle, difference: -1.0)
        for row in Set([middle] + ItemSample.spread(Array(volume.geometry.rows / 4..<3 * volume.geometry.rows / 4), count: 8)).sorted() {
            let clean = try volume.sinogram(item: item, row: row, variant: volume.variants[0])
            let other = try volume.sinogram(item: item, row: row, variant: volume.variants[1])
            let difference = zip(clean, other).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) }
            if difference > best.difference { best = (row, difference) }
        }
        return best.row
    }

    static func sinogramFigure(_ volume: TomoVolume, item: Int, row: Int) throws -> ReportFigure {
        let g = volume.geometry
        let shown = Array(volume.variants.prefix(4))
        // One grey scale for all: the clean sinogram's range.
        let clean = try volume.sinogram(item: item, row: row, variant: volume.variants[0])
        let range = Double(clean.min() ?? 0)...max(Double(clean.max() ?? 1), Double(clean.min() ?? 0) + 1e-9)
        let panels = try shown.map { variant in
            Axes(title: variant.name, x: Axis("detector column"), y: Axis("angle (°)", inverted: true),
                 series: [.raster(Raster(width: g.columns, height: g.angleCount,
                                         values: try volume.sinogram(item: item, row: row, variant: variant),
                                         colorMap: .gray, range: range, y: 0...179.9,
                                         colorBarLabel: variant == shown.last! ? "value" : ""))])
        }
        return ReportFigure("Sinograms of row \(row) of sample \(volume.firstSample + item)"
                                + (volume.variants.count > shown.count ? " (the first \(shown.count) variants)." : "."),
                            Figure(panels, columns: panels.count, width: 290 * Double(panels.count) + 40, height: 330))
    }

    /// The run seed, as the file records it (text or integer).
    static func storedSeed(_ volume: TomoVolume) throws -> UInt64? {
        switch try volume.file.attribute("seed", at: "/") {
        case .string(let text)?: return UInt64(text)
        case .int(let value)?: return UInt64(exactly: value)
        case .uint(let value)?: return value
        default: return nil
        }
    }

    /// The beam profile and the defect maps of a simulated detector.
    static func detectorFigure(_ model: DetectorModel) -> ReportFigure {
        let names = ["flat field", "offset defects", "sinusoidal defects", "exponential defects"]
        let maps = [model.beam] + model.defects
        let panels = zip(names, maps).map { name, map in
            Axes(title: name, x: Axis("detector column"), y: Axis("detector row", inverted: true),
                 series: [.raster(Raster(width: model.columns, height: model.rows, values: map.map(Float.init),
                                         colorMap: name == "flat field" ? .viridis : .magma, range: 0...1,
                                         colorBarLabel: name == names.last ? "relative" : ""))],
                 equalAspect: true)
        }
        let defective = model.defects[0].indices.filter { i in model.defects.contains { $0[i] != 0 } }.count
        return ReportFigure("Beam profile and defect maps; "
                                + String(format: "%.2f %% of the pixels are defective.", 100 * Double(defective) / Double(model.beam.count)),
                            Figure(panels, columns: 4, width: 1180, height: 320))
    }

    /// The phantom's spheres cut by the plane of detector row `row`, on the reconstruction's voxel grid.
    static func phantomFigure(_ volume: TomoVolume, item: Int, row: Int) throws -> ReportFigure {
        let n = volume.geometry.size
        let shape = try volume.file.shape("phantom")
        let table = try volume.file.read(Double.self, at: "/tomo/phantom", offset: [item, 0, 0], count: [1, shape[1], 5])
        let z = -volume.geometry.rowCoordinate(row)
        var image = [Float](repeating: 0, count: n * n)
        for object in stride(from: 0, to: table.count, by: 5) where table[object + 4] > 0 {
            let (c0, x0, y0, z0, r) = (table[object], table[object + 1], table[object + 2], table[object + 3], table[object + 4])
            let dz = z - z0
            guard dz * dz < r * r else { continue }
            let r2 = r * r - dz * dz
            for i in 0..<n {
                let dx = -1 + 2 * Double(i) / Double(n) - x0
                guard dx * dx < r2 else { continue }
                for j in 0..<n {
                    let dy = -1 + 2 * Double(j) / Double(n) - y0
                    if dx * dx + dy * dy <= r2 { image[i * n + j] += Float(c0) }
                }
            }
        }
        let axes = Axes(title: "phantom", x: Axis("j (voxel)"), y: Axis("i (voxel)", inverted: true),
                        series: [.raster(Raster(width: n, height: n, values: image, colorMap: .gray,
                                                range: 0...max(1e-9, Double(image.max() ?? 1)), colorBarLabel: "C0"))],
                        equalAspect: true)
        let placed = stride(from: 0, to: table.count, by: 5).filter { table[$0 + 4] > 0 }.count
        return ReportFigure("The phantom (\(placed) spheres placed) in the plane of row \(row), z = "
                                + String(format: "%.3f", z) + ".", Figure(axes, width: 340, height: 290))
    }
}
