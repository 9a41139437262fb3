import Foundation

extension ReportSection {
    /// The section every report starts with: the provenance of the output and its global statistics.
    public static func summary(provenance: [(label: String, value: String)],
                               statistics: [(name: String, count: Double, mean: Double, std: Double, min: Double, max: Double)],
                               paragraphs: [String] = []) -> ReportSection {
        var tables = [ReportTable(caption: "Provenance", header: ["", ""], rows: provenance.map { [$0.label, $0.value] })]
        if !statistics.isEmpty {
            func g(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "" }
            tables.append(ReportTable(caption: "Global statistics (/stats, for normalisation)",
                                      header: ["dataset", "count", "mean", "std", "min", "max"],
                                      rows: statistics.map { [$0.name, g($0.count), g($0.mean), g($0.std), g($0.min), g($0.max)] }))
        }
        return ReportSection("Summary", paragraphs: paragraphs, tables: tables)
    }
}
