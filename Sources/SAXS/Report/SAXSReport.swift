import Batch
import Foundation
import Plot
import Report

/// `beamforge report` of a `saxs` output: curves of every class with their model, the χ² distribution, Guinier Rg
/// against the true Rg, and the class and instrument counts. Reads `/saxs/shape_class` and `/saxs/instrument`
/// whole (4 bytes a curve), `meta.csv`, and only the rows of the curves it draws.
public enum SAXSReport {
    /// Curves drawn per class.
    static let curvesPerClass = 3

    /// The report of the saxs run in `directory`.
    public static func document(directory: String) throws -> ReportDocument {
        let file = try JobOutputFile(directory: directory, job: "saxs")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/meta.csv")
        let classes = try file.integers("shape_class").map(Int.init)
        let instruments = try file.integers("instrument").map(Int.init)
        let classNames = try names(file, "shape_class"), instrumentNames = try names(file, "instrument")
        guard meta.count == classes.count else {
            throw ReportError("\(meta.path): \(meta.count) rows for the \(classes.count) curves of \(file.path)")
        }

        let curves = try curveGrid(file, classes: classes, names: classNames)
        let summary = ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                            paragraphs: ["\(classes.count) synthetic SAXS curves of \(classNames.count) shape classes."])
        let sections = [
            summary,
            ReportSection("Curves", paragraphs: [
                "A sample of curves of each class, spread over the dataset: the noisy intensity I(q) with its standard "
                    + "error σ (bars) and the noise-free smeared model I_model (dashed, same colour). Points with I ≤ 0 "
                    + "(background-subtracted noise) cannot be shown on the log scale.",
            ], figures: [curves]),
            ReportSection("Quality", paragraphs: [
                "Reduced χ² of I against I_model, with the model's σ (expected 1 at any count level) and with the "
                    + "reported σ (biased upward where counts are few); the automatic Guinier fit's Rg against the "
                    + "z-averaged, contrast-weighted true Rg, for curves whose q range holds a Guinier region.",
            ], figures: [try chi2Histogram(meta), try guinierScatter(meta)]),
            ReportSection("Composition", figures: [counts(classes, classNames, instruments, instrumentNames)]),
        ]
        return ReportDocument(title: "SAXS dataset: \(directory)", subtitle: "beamforge saxs · \(classes.count) curves",
                              sections: sections, appendix: try file.configuration().map { ("Configuration", $0) })
    }

    static func names(_ file: JobOutputFile, _ dataset: String) throws -> [String] {
        guard case .strings(let names)? = try file.attribute("names", of: dataset) else {
            throw ReportError("\(file.path): /saxs/\(dataset) has no 'names' attribute")
        }
        return names
    }

    /// One log-log panel per class with `curvesPerClass` curves of it.
    static func curveGrid(_ file: JobOutputFile, classes: [Int], names: [String]) throws -> ReportFigure {
        let width = try file.shape("q")[1]
        var panels: [Axes] = []
        for (index, name) in names.enumerated() {
            var axes = Axes(title: name, x: Axis("q (Å⁻¹)", scale: .log), y: Axis("I (cm⁻¹)", scale: .log))
            let members = classes.indices.filter { classes[$0] == index }
            for (k, item) in ItemSample.spread(members, count: curvesPerClass).enumerated() {
                func row(_ dataset: String) throws -> [Double] {
                    try file.read(Double.self, at: "/saxs/\(dataset)", offset: [item, 0], count: [1, width])
                }
                let q = try row("q"), color = Color.series(k)
                axes.add(.line(Line(x: q, y: try row("I"), yError: try row("sigma"), label: "#\(item)", color: color,
                                    width: 0.9)))
                axes.add(.line(Line(x: q, y: try row("I_model"), color: color, width: 1.2, dashed: true)))
            }
            if members.isEmpty { axes.note = "no curves" }
            panels.append(axes)
        }
        let columns = min(3, max(1, names.count))
        let rows = (names.count + columns - 1) / columns
        return ReportFigure("I(q) ± σ (solid, bars) and I_model (dashed) of \(curvesPerClass) curves per class; the "
                                + "legend gives each curve's index.",
                            Figure(panels, columns: columns, width: 330 * Double(columns), height: 260 * Double(rows)))
    }

    static func chi2Histogram(_ meta: MetadataTable) throws -> ReportFigure {
        let model = try meta.doubles("chi2_red"), observed = try meta.doubles("chi2_red_observed")
        let finite = (model + observed).filter(\.isFinite).sorted()
        let high = max(2.5, finite.isEmpty ? 2.5 : finite[Int(Double(finite.count - 1) * 0.99)] * 1.05)
        let axes = Axes(x: Axis("reduced χ²", range: 0...high), y: Axis("curves"), series: [
            .histogram(Histogram(of: model, bins: 60, range: 0...high, label: "model σ", color: .series(0))),
            .histogram(Histogram(of: observed, bins: 60, range: 0...high, label: "reported σ", color: .series(1))),
        ])
        let median = model.filter(\.isFinite).sorted()
        let note = median.isEmpty ? "" : String(format: " Median with the model's σ: %.3f.", median[median.count / 2])
        return ReportFigure("Reduced χ² of every curve (the 1 % above \(String(format: "%.2f", high)) not shown).\(note)",
                            Figure(axes, width: 440, height: 320))
    }

    static func guinierScatter(_ meta: MetadataTable) throws -> ReportFigure {
        let truth = try meta.doubles("rg_true"), fitted = try meta.doubles("guinier_rg")
        let applicable = try meta.strings("guinier_applicable").map { $0 == "1" }
        let shown = truth.indices.filter { applicable[$0] && truth[$0].isFinite && fitted[$0].isFinite }
        let x = shown.map { truth[$0] }, y = shown.map { fitted[$0] }
        var axes = Axes(x: Axis("true Rg (Å)", scale: .log), y: Axis("Guinier Rg (Å)", scale: .log))
        if shown.isEmpty {
            axes.note = "no curve with a Guinier region"
        } else {
            let scale = Scale.fitting(x + y, kind: .log)
            axes.x.range = scale.lower...scale.upper
            axes.y.range = scale.lower...scale.upper
            axes.add(.scatter(Scatter(x: x, y: y, label: "fitted", radius: shown.count > 5000 ? 1.2 : 2)))
            axes.add(.line(Line(x: [scale.lower, scale.upper], y: [scale.lower, scale.upper], label: "Rg = true Rg",
                                color: .ink, width: 1, dashed: true)))
        }
        let within = zip(x, y).filter { abs($1 / $0 - 1) <= 0.1 }.count
        let fraction = shown.isEmpty ? "" : String(format: " %.1f %% within 10 %% of the truth.", 100 * Double(within) / Double(shown.count))
        return ReportFigure("Automatic Guinier Rg against the true Rg for the \(shown.count) curves with a Guinier "
                                + "region and a fit.\(fraction)", Figure(axes, width: 400, height: 320))
    }

    static func counts(_ classes: [Int], _ classNames: [String], _ instruments: [Int], _ instrumentNames: [String]) -> ReportFigure {
        func tally(_ values: [Int], _ count: Int) -> [Double] {
            var tally = [Double](repeating: 0, count: count)
            for v in values where (0..<count).contains(v) { tally[v] += 1 }
            return tally
        }
        let panels = [
            Axes(title: "shape classes", x: Axis(categories: classNames), y: Axis("curves"),
                 series: [.bars(Bars(tally(classes, classNames.count)))]),
            Axes(title: "instruments", x: Axis(categories: instrumentNames), y: Axis("curves"),
                 series: [.bars(Bars(tally(instruments, instrumentNames.count)))]),
        ]
        return ReportFigure("Curves per shape class and per instrument.",
                            Figure(panels, columns: 2, width: 760, height: 340))
    }
}
