import Batch
import Foundation
import Plot
import Report

/// `beamforge report` of an `orient` output: S, FWHM and the director versus field (or time, or sequence index)
/// per band and model from meta.csv, and the fitted profiles of frames spread over the run from orient.h5.
public enum OrientReport {
    static let framesShown = 3

    /// The report of the orient run in `directory`.
    public static func document(directory: String) throws -> ReportDocument {
        let file = try JobOutputFile(directory: directory, job: "orient")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/" + OrientJob.metaFileName)
        let (models, bands, frames) = (try meta.strings("model"), try meta.strings("q"), try meta.doubles("frame"))
        let field = try meta.doubles("field_mT"), time = try meta.doubles("time_s")
        // The first of field, time and sequence index that varies over the run.
        func varies(_ v: [Double]) -> Bool { let f = v.filter(\.isFinite); return f.count == v.count && Set(f).count > 1 }
        let (x, xLabel): ([Double], String) = varies(field) ? (field, "field (mT)")
            : varies(time) ? (time.map { $0 - time[0] }, "time (s)") : (frames, "frame (sequence index)")
        let frameCount = Int((frames.max() ?? -1) + 1)
        let statuses = try meta.strings("status")
        let failed = statuses.filter { $0 != "ok" }.count
        var sections = [ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                              paragraphs: ["\(frameCount) frame\(frameCount == 1 ? "" : "s"), "
                                                           + "\(statuses.count) fits, \(failed) failed (status not ok)."])]
        func versus(_ column: String, _ label: String, only: String? = nil, error: String? = nil) throws -> ReportFigure {
            let y = try meta.doubles(column), e = try error.map { try meta.doubles($0) }
            var axes = Axes(title: label, x: Axis(xLabel), y: Axis(label))
            var k = 0
            for band in orderedUnique(bands) {
                for model in orderedUnique(models) where only == nil || model == only {
                    let rows = meta.indices(where: { bands[$0] == band && models[$0] == model && statuses[$0] == "ok" })
                    guard !rows.isEmpty else { continue }
                    axes.add(.line(Line(x: rows.map { x[$0] }, y: rows.map { y[$0] }, yError: e.map { e in rows.map { e[$0] } },
                                        label: "\(model), q = \(band)", color: .series(k), width: 1, marker: 2.5)))
                    k += 1
                }
            }
            return ReportFigure("\(label) versus \(xLabel) in sequence order (up and down sweeps drawn as a path); "
                                + "failed fits left out.", Figure(axes, width: 460, height: 320))
        }
        sections.append(ReportSection("Order parameter", paragraphs: [
            "S = <P2> of the orientation distribution with ± σ: Maier–Saupe (ms) in closed form, pseudo-Voigt (pv) by "
                + "quadrature (docs/orient.md). The two differ where the peak shape is not the Maier–Saupe projection: "
                + "each S is that of its model's distribution.",
        ], figures: [try versus("S", "S", error: "S_sigma"), try versus("fwhm_deg", "FWHM (deg)", only: "pv"),
                     try versus("chi0_deg", "director (deg)")]))
        let shown = ItemSample.spread(Array(0..<frameCount), count: framesShown)
        sections.append(ReportSection("Fitted profiles", paragraphs: [
            "I(χ) of the first band with ± σ (shaded) and the fitted models, for frames spread over the run.",
        ], figures: try shown.map { try profileFigure(file, frame: $0) }))
        return ReportDocument(title: "Orientation: \(directory)", subtitle: "beamforge orient · \(frameCount) frames",
                              sections: sections, appendix: try file.configuration().map { ("Configuration", $0) })
    }

    /// Frame `frame`'s first-band profile and the models fitted to it.
    static func profileFigure(_ file: JobOutputFile, frame: Int) throws -> ReportFigure {
        guard let shape = try file.shape(at: "/orient/profile_I"), shape.count == 3 else {
            throw ReportError("\(file.path): /orient/profile_I is not frames × bands × chi bins")
        }
        let chi = try file.read(Double.self, at: "/orient/chi")
        let i = try file.read(Double.self, at: "/orient/profile_I", offset: [frame, 0, 0], count: [1, 1, shape[2]])
        let s = try file.read(Double.self, at: "/orient/profile_sigma", offset: [frame, 0, 0], count: [1, 1, shape[2]])
        let kept = chi.indices.filter { i[$0].isFinite }
        var axes = Axes(title: "frame \(frame)", x: Axis("χ (deg)"), y: Axis("I (counts/pixel)"))
        axes.add(.line(Line(x: kept.map { chi[$0] }, y: kept.map { i[$0] }, yError: kept.map { s[$0] }, label: "data",
                            color: .series(0), width: 1, errorStyle: .band)))
        for (k, model) in OrientModel.allCases.enumerated() {
            let name = "/orient/fit_\(model.rawValue)"
            guard try file.shape(at: name) != nil else { continue }
            var reflection = ReflectionType.equatorial
            if case .string(let text)? = try file.attribute("reflection_type", at: name) {
                reflection = ReflectionType(rawValue: text) ?? reflection
            }
            let p = try file.read(Double.self, at: name, offset: [frame, 0, 0], count: [1, 1, model.parameterNames.count])
            guard p.allSatisfy(\.isFinite) else { continue }
            let curve = ProfileFitter(reflection: reflection).evaluator(model, p)
            axes.add(.line(Line(x: chi, y: chi.map(curve), label: model.rawValue, color: .series(k + 1), width: 1.4,
                                dashed: k == 1)))
        }
        return ReportFigure("Frame \(frame), band 0: data and fits.", Figure(axes, width: 460, height: 320))
    }

    /// The values in order of first appearance.
    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension MetadataTable {
    /// The row indices where `predicate` holds.
    func indices(where predicate: (Int) -> Bool) -> [Int] { (0..<count).filter(predicate) }
}
