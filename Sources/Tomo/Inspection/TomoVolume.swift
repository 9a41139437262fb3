import Batch
import Foundation
import Plot
import Sinograms

/// A finished `tomo.h5` as `tomo-qc` and the report read it: its geometry, its variants (clean, stripe or the
/// shifts) and single sinograms by hyperslab.
struct TomoVolume {
    let file: JobOutputFile
    let samples: Int
    let geometry: TomoGeometry
    /// The sample number of item 0.
    let firstSample: Int
    /// Every variant: its name, dataset and shift index (shifts only).
    let variants: [(name: String, dataset: String, shift: Int?)]

    init(directory: String) throws {
        file = try JobOutputFile(directory: directory, job: "tomo")
        let shape = try file.shape("clean")
        guard shape.count == 4 else { throw BatchError(.io, "\(file.path): /tomo/clean is not 4-D", agreed: true) }
        guard case .int(let size)? = try file.attribute("N"), case .int(let start)? = try file.attribute("sample_start")
        else { throw BatchError(.io, "\(file.path): /tomo lacks the N and sample_start attributes", agreed: true) }
        geometry = TomoGeometry(size: Int(size))
        guard geometry.rows == shape[1] && geometry.angleCount == shape[2] && geometry.columns == shape[3] else {
            throw BatchError(.io, "\(file.path): /tomo/clean's shape \(shape) does not match N = \(size)", agreed: true)
        }
        samples = shape[0]
        firstSample = Int(start)
        var variants: [(name: String, dataset: String, shift: Int?)] = [("clean", "clean", nil)]
        if let stripe = try? file.shape("stripe"), stripe.count == 4 { variants.append(("stripe", "stripe", nil)) }
        if let shifts = try? file.shape("shifts"), shifts.count == 5 {
            variants += (0..<shifts[1]).map { (String(format: "shift%02d", $0), "shifts", $0) }
        }
        self.variants = variants
    }

    func close() { try? file.close() }

    /// The sinogram (angles × columns) of `row` of `item` in `variant`.
    func sinogram(item: Int, row: Int, variant: (name: String, dataset: String, shift: Int?)) throws -> [Float] {
        let (a, c) = (geometry.angleCount, geometry.columns)
        let offset = variant.shift.map { [item, $0, row, 0, 0] } ?? [item, row, 0, 0]
        let count = variant.shift.map { _ in [1, 1, 1, a, c] } ?? [1, 1, a, c]
        return try file.floats(variant.dataset, offset: offset, count: count)
    }

    /// Filtered back-projections of `row` of `item` in every variant, clean first, with each one's RMS from clean.
    func reconstructions(item: Int, row: Int) throws -> [TomoInspection.Slice] {
        let fbp = FilteredBackProjection(geometry: geometry)
        var slices: [TomoInspection.Slice] = []
        for variant in variants {
            let values = try sinogram(item: item, row: row, variant: variant)
            let image = fbp.reconstruct(values.span)
            var rms = 0.0
            if let clean = slices.first?.image {
                for (a, b) in zip(image, clean) { rms += Double(a - b) * Double(a - b) }
                rms = (rms / Double(image.count)).squareRoot()
            }
            slices.append(.init(sample: firstSample + item, row: row, variant: variant.name, image: image, rmsFromClean: rms))
        }
        return slices
    }

    /// The grey-level window of a clean reconstruction: its range.
    static func window(_ image: [Float]) -> ClosedRange<Float> { (image.min() ?? 0)...(image.max() ?? 1) }

    /// The reconstructions side by side in one grey scale (the clean one's range, so the rings show).
    func reconstructionFigure(_ slices: [TomoInspection.Slice]) -> Figure {
        let window = TomoVolume.window(slices[0].image)
        let n = geometry.size
        let panels = slices.map { slice in
            Axes(title: slice.variant + (slice.variant == "clean" ? "" : String(format: " (RMS %.3g)", slice.rmsFromClean)),
                 x: Axis("j (voxel)"), y: Axis("i (voxel)", inverted: true),
                 series: [.raster(Raster(width: n, height: n, values: slice.image, colorMap: .gray,
                                         range: Double(window.lowerBound)...Double(window.upperBound),
                                         colorBarLabel: slice.variant == slices.last?.variant ? "density" : ""))],
                 equalAspect: true)
        }
        let columns = min(3, panels.count)
        let rows = (panels.count + columns - 1) / columns
        return Figure(panels, columns: columns, width: 300 * Double(columns) + 40, height: 290 * Double(rows),
                      title: "FBP of row \(slices[0].row) of sample \(slices[0].sample)")
    }
}
