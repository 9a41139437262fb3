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
        let figures = try OrientFigures(meta: meta)
        let frames = try meta.doubles("frame")
        let frameCount = Int((frames.max() ?? -1) + 1)
        let failed = figures.statuses.filter { $0 != "ok" }.count
        var sections = [ReportSection.summary(provenance: try file.provenance(), statistics: try file.statistics(),
                                              paragraphs: ["\(frameCount) frame\(frameCount == 1 ? "" : "s"), "
                                                           + "\(figures.statuses.count) fits, \(failed) failed (status not ok)."])]
        func figure(_ drawn: OrientFigures.Drawn) -> ReportFigure { ReportFigure(drawn.caption, drawn.figure) }
        sections.append(ReportSection("Order parameter", paragraphs: [
            "S = <P2> of the orientation distribution with ± σ: Maier–Saupe (ms) in closed form, pseudo-Voigt (pv) by "
                + "quadrature (docs/orient.md). The two differ where the peak shape is not the Maier–Saupe projection: "
                + "each S is that of its model's distribution.",
        ], figures: try OrientPictures.versusFigures(figures).map(figure)))
        let shown = ItemSample.spread(Array(0..<frameCount), count: framesShown)
        let band = OrientFigures.orderedUnique(figures.bands).first ?? ""
        sections.append(ReportSection("Fitted profiles", paragraphs: [
            "I(χ) of the first band with ± σ (shaded) and the fitted models, for frames spread over the run.",
        ], figures: try shown.map { figure(try OrientFigures.profile(file, frame: $0, band: 0, label: band)) }))
        return ReportDocument(title: "Orientation: \(directory)", subtitle: "beamforge orient · \(frameCount) frames",
                              sections: sections, appendix: try file.configuration().map { ("Configuration", $0) })
    }
}
