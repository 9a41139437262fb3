import Batch
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
        // Rows where the stripe mask found real stripes say most; take them first.
        var candidates = Array(0..<items)
        if meta.has("real_artifact") {
            let real = try meta.strings("real_artifact")
            let marked = candidates.filter { $0 < real.count && real[$0] != "0" && !real[$0].isEmpty }
            if !marked.isEmpty { candidates = marked }
        }
        let shown = ItemSample.spread(candidates, count: itemsShown)
        var figures: [ReportFigure] = []
        for item in shown { figures.append(try sinograms(file, item: item, variants: variants, meta: meta)) }
        var sections = [
            ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                  paragraphs: ["\(items) items (\(variants.joined(separator: ", ")))."]),
            ReportSection("Sinograms", paragraphs: [
                "Chosen items (rows where the stripe mask found real stripes first, when there are any): each variant "
                    + "in one grey scale; red: pixels the stripe mask marks (NaN in clean).",
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
        let masked = images.first { $0.name == "clean" }.map { clean in clean.values.map { $0.isNaN ? UInt8(1) : 0 } }
        let finite = images.flatMap { $0.values.filter(\.isFinite) }
        let range = ColorRange.robust(finite, scale: .linear)
        let panels = images.map { image in
            Axes(title: image.name, x: Axis("column"), y: Axis("angle index", inverted: true),
                 series: [.raster(Raster(width: image.columns, height: image.rows, values: image.values, colorMap: .gray,
                                         range: range, mask: masked?.count == image.values.count ? masked : nil,
                                         colorBarLabel: image.name == images.last?.name ? "value" : ""))])
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
        let panels = try ItemSample.spread(candidates, count: itemsShown).map { item in
            let values = try file.bytes("mask", offset: [item, 0, 0], count: [1, shape[1], shape[2]]).map(Float.init)
            return Axes(title: "item \(item)", x: Axis("column"), y: Axis("angle index", inverted: true),
                        series: [.raster(Raster(width: shape[2], height: shape[1], values: values, colorMap: .gray,
                                                range: 0...1, colorBarLabel: nil))])
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
                ReportSection("Masks", paragraphs: ["White: pixels the stripe detector marks, in rows that have any."],
                              figures: [ReportFigure("Masks of chosen rows.", Figure(panels, columns: panels.count,
                                                                                   width: 280 * Double(panels.count), height: 320)),
                                        ReportFigure("Masked pixels per row.", Figure(perRow, width: 620, height: 300))]),
            ],
            appendix: try file.configuration().map { ("Configuration", $0) })
    }
}
