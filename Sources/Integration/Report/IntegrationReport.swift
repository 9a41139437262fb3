import Batch
import Foundation
import Formats
import Plot
import Report

/// `beamforge report` of an `integrate` output: the first frame with its mask, I(q) of frames spread over the run,
/// phi-mode profiles and GISAXS cuts when present, and the frame totals over time. Reads one frame from its source
/// file and only the rows of the frames it draws.
public enum IntegrationReport {
    /// Frames whose curves are drawn.
    static let framesShown = 5

    /// The report of the integrate run in `directory`.
    public static func document(directory: String) throws -> ReportDocument {
        let file = try JobOutputFile(directory: directory, job: "integrated")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/meta.csv")
        let groups = Set(try file.datasets().compactMap { entry -> String? in
            let parts = entry.path.split(separator: "/")
            return parts.count == 3 && parts[0] == "integrated" ? String(parts[1]) : nil
        })
        let frames = meta.count
        let shown = ItemSample.spread(Array(0..<frames), count: framesShown)

        var sections = [ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                              paragraphs: ["\(frames) frame\(frames == 1 ? "" : "s") integrated."])]
        sections.append(ReportSection("Detector", paragraphs: [
            "The first frame on a logarithmic colour scale; blue: pixels the calibration's mask excludes, and pixels "
                + "below zero (the dynamic mask of detector gaps and bad pixels).",
        ], figures: [try frameFigure(file, meta: meta)]))

        var curves: [ReportFigure] = []
        for group in groups.filter({ $0.hasPrefix("sasdata") }).sorted() {
            curves.append(try profile(file, group: group, axis: "Q", frames: shown, log: true))
        }
        for group in groups.filter({ $0.hasPrefix("phi") }).sorted() {
            curves.append(try profile(file, group: group, axis: "phi", frames: shown, log: false))
        }
        for group in groups.filter({ $0.hasPrefix("cut") }).sorted() {
            curves.append(try profile(file, group: group, axis: "q", frames: shown, log: false))
        }
        sections.append(ReportSection("Integrated curves", paragraphs: [
            "Radial integrations (sasdataNN) on log axes, phi-mode profiles (phiNN) and GISAXS cuts (cutNN), of up "
                + "to \(framesShown) frames spread over the run; shaded: ± Idev, the propagated Poisson error.",
        ], figures: curves))
        if frames > 1 { sections.append(ReportSection("Over time", figures: [try totals(meta)])) }
        return ReportDocument(title: "Integrated frames: \(directory)", subtitle: "beamforge integrate · \(frames) frames",
                              sections: sections, appendix: try file.configuration().map { ("Configuration", $0) })
    }

    /// One integration's curves of `frames`, against its axis dataset (`Q`, `phi` or `q`).
    static func profile(_ file: JobOutputFile, group: String, axis: String, frames: [Int], log: Bool) throws -> ReportFigure {
        let base = "/integrated/\(group)"
        guard let shape = try file.shape(at: base + "/I"), shape.count == 2 else {
            throw ReportError("\(file.path): \(base)/I is not frames × bins")
        }
        let x = try file.read(Double.self, at: base + "/" + axis)
        var unit = ""
        if case .string(let units)? = try file.attribute("units", at: base + "/" + axis) {
            unit = units == "1/angstrom" ? " (Å⁻¹)" : units == "1/nm" ? " (nm⁻¹)" : " (\(units))"
        }
        let xLabel = axis == "phi" ? "φ (degrees)" : "q\(unit)"
        var axes = Axes(title: group, x: Axis(xLabel, scale: log ? .log : .linear),
                        y: Axis("I (counts/pixel)", scale: log ? .log : .linear))
        let hasErrors = try file.shape(at: base + "/Idev") != nil
        for (k, frame) in frames.enumerated() where frame < shape[0] {
            let i = try file.read(Double.self, at: base + "/I", offset: [frame, 0], count: [1, shape[1]])
            let e = hasErrors ? try file.read(Double.self, at: base + "/Idev", offset: [frame, 0], count: [1, shape[1]]) : nil
            axes.add(.line(Line(x: x, y: i, yError: e, label: "frame \(frame)", color: .series(k), width: 1.1,
                                errorStyle: .band)))
        }
        let kind = group.hasPrefix("sasdata") ? "Radial integration" : group.hasPrefix("phi") ? "Phi-mode profile" : "GISAXS cut"
        return ReportFigure("\(kind) \(group) of frames \(frames.map(String.init).joined(separator: ", ")).",
                            Figure(axes, width: 460, height: 340))
    }

    /// The first frame, read from the file it came from, with the calibration's mask and the negative pixels.
    static func frameFigure(_ file: JobOutputFile, meta: MetadataTable) throws -> ReportFigure {
        let (axes, caption) = try frameAxes(file, meta: meta, row: 0)
        return ReportFigure(caption, Figure(axes, width: 520, height: axes.series.isEmpty ? 200 : 480))
    }

    /// Writes `directory/preview/<frame>.png` for the first `frames` frames: the frame with its mask beside its
    /// curves (`integrate --preview N`).
    public static func writePreviews(directory: String, frames: Int) throws {
        let file = try JobOutputFile(directory: directory, job: "integrated")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/meta.csv")
        let folder = directory + "/preview"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let groups = try file.datasets().compactMap { entry -> String? in
            let parts = entry.path.split(separator: "/")
            return parts.count == 3 && parts[0] == "integrated" && parts[1].hasPrefix("sasdata") && parts[2] == "I"
                ? String(parts[1]) : nil
        }.sorted()
        for frame in 0..<min(frames, meta.count) {
            var panels = [try frameAxes(file, meta: meta, row: frame).axes]
            if let group = groups.first {
                panels.append(try profile(file, group: group, axis: "Q", frames: [frame], log: true).figure.panels[0])
            }
            // Named like the frame's .chi file: the source's stem, with the frame number for files of many frames.
            let sources = try meta.strings("source"), source = sources[frame]
            let stem = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
            let many = sources.lazy.filter { $0 == source }.prefix(2).count > 1
            let name = many ? stem + String(format: "_%05d", Int(try meta.strings("source_frame")[frame]) ?? frame) : stem
            let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
            try Figure(panels, columns: panels.count, width: 480 * Double(panels.count), height: 420)
                .writePNG(to: folder + "/" + safe + ".png", pixelsPerPoint: 1.5)
        }
    }

    /// Frame `row` of meta.csv, read from the file it came from, with the calibration's mask and the negative
    /// pixels; an empty panel saying why when the source cannot be read from here.
    static func frameAxes(_ file: JobOutputFile, meta: MetadataTable, row: Int) throws -> (axes: Axes, caption: String) {
        func empty(_ why: String) -> (Axes, String) { (Axes(title: "frame", note: why), "The frame could not be shown: \(why).") }
        guard row < meta.count, let source = try meta.strings("source")[safe: row],
              let index = Int(try meta.strings("source_frame")[safe: row] ?? "") else { return empty("no frames") }
        guard FileManager.default.fileExists(atPath: source), let format = FrameFormat.of(source) else {
            return empty("\(source) is not readable from here")
        }
        let frame: any FrameFile
        let size: (rows: Int, columns: Int)
        do {
            frame = try format.open(source, nil)
            size = try frame.frameSize()
        } catch { return empty("\(error)") }
        var values = [Float](repeating: 0, count: size.rows * size.columns)
        do {
            try values.withUnsafeMutableBytes { raw in
                var bytes = raw.mutableBytes
                _ = try frame.read(frames: index..<index + 1, as: .float32, rows: size.rows, columns: size.columns, into: &bytes)
            }
        } catch { return empty("\(error)") }
        var mask = values.map { $0 < 0 ? UInt8(1) : 0 }
        var maskNote = "no mask file"
        do {
            let text = try file.strings(at: "/integrated/sasprocess/calibration").first ?? ""
            let calibration = try Calibration.fromSAXSDog(text, file: file.path)
            if let maskFile = calibration.integrations.first?.maskFile {
                let decoded = try Fit2DMask(contentsOf: maskFile)
                if decoded.width == size.columns && decoded.height == size.rows {
                    for i in mask.indices where decoded.masked[i] { mask[i] = 1 }
                    maskNote = "mask \((maskFile as NSString).lastPathComponent)"
                }
            }
        } catch { maskNote = "the calibration's mask could not be read (\(error))" }
        let raster = Raster(width: size.columns, height: size.rows, values: values, colorMap: .magma, scale: .log,
                            mask: mask, maskColor: Color(rgb: 0x00B4FF, alpha: 0.6), colorBarLabel: "counts")
        let axes = Axes(title: "\((source as NSString).lastPathComponent) [\(index)]", x: Axis("column (pixel)"),
                        y: Axis("row (pixel)", inverted: true), series: [.raster(raster)], equalAspect: true)
        let masked = mask.reduce(0) { $0 + Int($1) }
        return (axes, "Frame \(index) of \(source) (\(size.columns) × \(size.rows) pixels), log scale; \(maskNote); "
                    + String(format: "%.1f %% of the pixels masked.", 100 * Double(masked) / Double(mask.count)))
    }

    /// Total counts and excluded pixels per frame.
    static func totals(_ meta: MetadataTable) throws -> ReportFigure {
        let index = (0..<meta.count).map(Double.init)
        var panels = [Axes(title: "total counts", x: Axis("frame"), y: Axis("counts"),
                           series: [.line(Line(x: index, y: try meta.doubles("total_counts"), width: 1, marker: meta.count <= 200 ? 2 : 0))],
                           legend: .none)]
        if meta.has("excluded_pixels") {
            panels.append(Axes(title: "excluded pixels", x: Axis("frame"), y: Axis("pixels"),
                               series: [.line(Line(x: index, y: try meta.doubles("excluded_pixels"), color: .series(3),
                                                   width: 1, marker: meta.count <= 200 ? 2 : 0))], legend: .none))
        }
        return ReportFigure("Frame totals over the run (beam, sample or detector changes show here).",
                            Figure(panels, columns: panels.count, width: 420 * Double(panels.count), height: 300))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
