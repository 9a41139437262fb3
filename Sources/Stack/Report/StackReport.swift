import Batch
import Formats
import Foundation
import Plot
import Report

/// `beamforge report` of `stack` and `mask` outputs: sinograms of chosen rows before and after (paired and patch
/// modes: clean against striped, the stripe mask's pixels over them), the per-item range, and for `mask` the
/// masks of chosen rows and the masked pixels per row. Reads only the items it draws.
public enum StackReport {
    /// Items drawn.
    static let itemsShown = 3

    /// The report of the stack run in `directory`.
    public static func stack(directory: String) throws -> ReportDocument {
        let file = try JobOutputFile(directory: directory, job: "stack")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/meta.csv")
        let variants = ["sinogram", "clean", "stripe"].filter { (try? file.shape($0)) != nil }
        guard let first = variants.first else { throw ReportError("\(file.path): no /stack/sinogram, clean or stripe") }
        let items = try file.shape(first)[0]
        // Two rows with synthetic stripes (clean against striped) and one where the stripe mask found real ones
        // (clean withheld), when the run has both.
        var marked: [Int] = []
        if meta.has("real_artifact") {
            let real = try meta.strings("real_artifact")
            marked = (0..<items).filter { $0 < real.count && real[$0] != "0" && !real[$0].isEmpty }
        }
        let ordinary = Array(Set(0..<items).subtracting(marked)).sorted()
        let shown = (ItemSample.spread(ordinary, count: marked.isEmpty ? itemsShown : itemsShown - 1)
            + ItemSample.spread(marked, count: ordinary.isEmpty ? itemsShown : 1)).sorted()
        var figures: [ReportFigure] = []
        for item in shown { figures.append(try sinograms(file, item: item, variants: variants, meta: meta)) }
        var sections = [
            ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                  paragraphs: ["\(items) items (\(variants.joined(separator: ", ")))."]),
            ReportSection("Sinograms", paragraphs: [
                "Chosen items (in paired and patch modes two rows with synthetic stripes and one where the stripe "
                    + "mask found real stripes, when there are both): each variant in one grey scale; red: pixels the "
                    + "stripe mask marks (NaN in clean). A row whose clean sinogram is withheld says so.",
            ], figures: figures),
        ]
        if meta.has("min") && meta.has("max") {
            let index = (0..<meta.count).map(Double.init)
            let axes = Axes(x: Axis("item"), y: Axis("value"), series: [
                .line(Line(x: index, y: try meta.doubles("min"), label: "min", color: .series(0), width: 1)),
                .line(Line(x: index, y: try meta.doubles("max"), label: "max", color: .series(3), width: 1)),
            ])
            sections.append(ReportSection("Range", paragraphs: [
                "Each item's minimum and maximum; the global range that scales the TIFFs is in the statistics above.",
            ], figures: [ReportFigure("Per-item range.", Figure(axes, width: 620, height: 300))]))
        }
        return ReportDocument(title: "Sinogram stack: \(directory)", subtitle: "beamforge stack · \(items) items",
                              sections: sections, appendix: try file.configuration().map { ("Configuration", $0) })
    }

    /// One item in every variant, side by side (patches: the first patch).
    static func sinograms(_ file: JobOutputFile, item: Int, variants: [String], meta: MetadataTable) throws -> ReportFigure {
        var images: [(name: String, values: [Float], rows: Int, columns: Int)] = []
        for name in variants {
            let shape = try file.shape(name)
            let (rows, columns) = (shape[shape.count - 2], shape[shape.count - 1])
            var offset = [Int](repeating: 0, count: shape.count), count = [Int](repeating: 1, count: shape.count)
            offset[0] = item
            count[shape.count - 2] = rows
            count[shape.count - 1] = columns
            images.append((name, try file.floats(name, offset: offset, count: count), rows, columns))
        }
        var masked = images.first { $0.name == "clean" }.map { clean in clean.values.map { $0.isNaN ? UInt8(1) : 0 } }
        // A clean sinogram that is NaN throughout is withheld (real stripes in the row), not masked pixel by pixel.
        let withheld = masked.map { !$0.contains(0) } ?? false
        if withheld { masked = nil }
        let finite = images.flatMap { $0.values.filter(\.isFinite) }
        let range = ColorRange.robust(finite, scale: .linear)
        let panels = images.map { image in
            var axes = Axes(title: image.name, x: Axis("column"), y: Axis("angle index", inverted: true),
                            series: [.raster(Raster(width: image.columns, height: image.rows, values: image.values,
                                                    colorMap: .gray, range: range,
                                                    mask: masked?.count == image.values.count ? masked : nil,
                                                    colorBarLabel: image.name == images.last?.name ? "value" : ""))])
            if withheld && image.name == "clean" { axes.note = "withheld: real stripes in this row" }
            return axes
        }
        var where_ = "item \(item)"
        if meta.has("scan"), meta.has("row"), item < meta.count {
            where_ += ": scan \(try meta.strings("scan")[item]), row \(try meta.strings("row")[item])"
        }
        return ReportFigure("Sinograms of \(where_).", Figure(panels, columns: panels.count,
                                                             width: 300 * Double(panels.count) + 40, height: 320))
    }

    /// The report of the mask run in `directory`.
    public static func mask(directory: String) throws -> ReportDocument {
        let file = try JobOutputFile(directory: directory, job: "mask")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/meta.csv")
        let shape = try file.shape("mask")
        guard shape.count == 3 else { throw ReportError("\(file.path): /mask/mask is not items × angles × columns") }
        let counts = try meta.doubles("masked_pixels")
        var candidates = counts.indices.filter { counts[$0] > 0 }
        if candidates.isEmpty { candidates = Array(0..<shape[0]) }
        var scanPaths: [String] = []
        if case .string(let list)? = try file.attribute("scans") {
            scanPaths = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let rowsPerScan = Int({ if case .int(let r)? = try? file.attribute("rows") { return r } else { return 0 } }())
        let panels = try ItemSample.spread(candidates, count: itemsShown).map { item in
            let mask = try file.bytes("mask", offset: [item, 0, 0], count: [1, shape[1], shape[2]])
            var axes = Axes(title: "item \(item)", x: Axis("column"), y: Axis("angle index", inverted: true))
            if rowsPerScan > 0, item / rowsPerScan < scanPaths.count,
               let sinogram = absorption(scan: scanPaths[item / rowsPerScan], row: item % rowsPerScan),
               sinogram.count == mask.count {
                axes.title = "item \(item): scan row \(item % rowsPerScan)"
                axes.add(.raster(Raster(width: shape[2], height: shape[1], values: sinogram, colorMap: .gray, mask: mask,
                                        colorBarLabel: nil)))
            } else {
                axes.add(.raster(Raster(width: shape[2], height: shape[1], values: mask.map(Float.init), colorMap: .gray,
                                        range: 0...1, colorBarLabel: nil)))
            }
            return axes
        }
        let index = (0..<counts.count).map(Double.init)
        let perRow = Axes(x: Axis("item (scan row)"), y: Axis("masked pixels"),
                          series: [.line(Line(x: index, y: counts, width: 1, marker: counts.count <= 200 ? 2 : 0))],
                          legend: .none)
        let total = counts.filter(\.isFinite).reduce(0, +)
        return ReportDocument(
            title: "Stripe masks: \(directory)", subtitle: "beamforge mask · \(shape[0]) rows",
            sections: [
                ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                      paragraphs: [String(format: "%d rows of %d × %d; %.0f pixels masked (%.3f %%).", shape[0],
                                                          shape[1], shape[2], total,
                                                          100 * total / Double(max(1, shape[0] * shape[1] * shape[2])))]),
                ReportSection("Masks", paragraphs: [
                    "Rows with masked pixels: the row's absorption sinogram −ln((projection − dark)/(flat − dark)) read "
                        + "from its scan, the mask in red over it (white on black when the scan cannot be read from here).",
                ],
                              figures: [ReportFigure("Masks of chosen rows.", Figure(panels, columns: panels.count,
                                                                                   width: 280 * Double(panels.count), height: 320)),
                                        ReportFigure("Masked pixels per row.", Figure(perRow, width: 620, height: 300))]),
            ],
            appendix: try file.configuration().map { ("Configuration", $0) })
    }

    /// The absorption sinogram (angles × columns) of detector row `row` of the scan at `path`, flat- and
    /// dark-corrected where the scan has flats (raw counts otherwise); nil when the scan cannot be read from here.
    static func absorption(scan path: String, row: Int) -> [Float]? {
        guard let scan = try? TomoScan(path: path), (0..<scan.rows).contains(row) else { return nil }
        var values = [Float](repeating: 0, count: scan.projectionFrames.count * scan.columns)
        var span = values.mutableSpan
        guard (try? scan.read(frames: scan.projectionFrames, rows: row..<row + 1, into: &span)) != nil else { return nil }
        guard let flat = try? scan.meanFrames(.flat, rows: row..<row + 1), flat.count == scan.columns else { return values }
        let dark = (try? scan.meanFrames(.dark, rows: row..<row + 1)).flatMap { $0.count == scan.columns ? $0 : nil }
            ?? [Float](repeating: 0, count: scan.columns)
        for i in values.indices {
            let c = i % scan.columns
            let ratio = (values[i] - dark[c]) / max(flat[c] - dark[c], 1e-6)
            values[i] = ratio > 0 ? -log(ratio) : .nan
        }
        return values
    }
}
