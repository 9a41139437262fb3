import Core
import Foundation

/// The two CSV files: `frames.csv`, the runner's one row per frame (identity, each band's circular moments and
/// each band × model's fit summary), and `meta.csv`, one row per frame × band × model, made from it once the run
/// is complete (rank 0): `source, frame, sample, field_mT, time_s, q, model, S, S_sigma, kappa, chi0_deg, fwhm_deg,
/// eta, r2, chi2_red, status` (`frame` is the sequence index; blank where a column does not apply to the model or
/// the fit failed).
extension OrientJob {
    /// The runner's CSV.
    public static let framesFileName = "frames.csv"
    /// The long table.
    public static let metaFileName = "meta.csv"
    public static let metaColumns = ["source", "frame", "sample", "field_mT", "time_s", "q", "model", "S", "S_sigma",
                                     "kappa", "chi0_deg", "fwhm_deg", "eta", "r2", "chi2_red", "status"]
    /// The fit summary's fields, as in ``metaColumns`` after `model`.
    static let fitFieldNames = ["S", "S_sigma", "kappa", "chi0_deg", "fwhm_deg", "eta", "r2", "chi2_red", "status"]

    /// frames.csv's fit columns: `q<b>_<model>_<field>`.
    var fitColumns: [String] {
        settings.bands.indices.flatMap { b in
            settings.models.flatMap { m in Self.fitFieldNames.map { "q\(b)_\(m.rawValue)_\($0)" } }
        }
    }

    /// One fit's fields in ``fitFieldNames`` order; χ0 is the director's azimuth for both models.
    static func fitFields(_ fit: ProfileFit) -> [String] {
        let p = fit.parameters
        let kappa = fit.model == .ms ? text(p[1]) : ""
        let (fwhm, eta) = fit.model == .pv ? (text(p[2]), text(p[3])) : ("", "")
        return [text(fit.orderParameter), text(fit.orderParameterSigma), kappa, text(fit.directorDeg), fwhm, eta,
                text(fit.r2), text(fit.reducedChiSquare), fit.status]
    }

    /// Writes `meta.csv` (one row per frame × band × model) from the complete `frames.csv` in `directory`, via a
    /// temporary name.
    /// - Throws: ``FormatError`` naming frames.csv when it cannot be read or lacks this run's columns.
    public func writeMetaTable(directory: String) throws {
        let source = directory + "/" + Self.framesFileName
        let rows: [[String]]
        do { rows = try CSV.parse(try String(contentsOfFile: source, encoding: .utf8)) } catch {
            throw FormatError(file: source, message: "cannot read it: \(error)")
        }
        guard let header = rows.first else { throw FormatError(file: source, message: "it is empty") }
        var index: [String: Int] = [:]
        for (k, name) in header.enumerated() { index[name] = k }
        let identity = ["source", "frame", "sample", "field_mT", "time_s"]
        let needed = identity + settings.bands.indices.map { "q\($0)_center" } + fitColumns
        if let missing = needed.first(where: { index[$0] == nil }) {
            throw FormatError(file: source, message: "it has no column \(missing)")
        }
        var text = CSV.row(Self.metaColumns) + "\n"
        for row in rows.dropFirst() where row.count == header.count {
            let frame = identity.map { row[index[$0]!] }
            for b in settings.bands.indices {
                for m in settings.models {
                    let fields = Self.fitFieldNames.map { row[index["q\(b)_\(m.rawValue)_\($0)"]!] }
                    text += CSV.row(frame + [row[index["q\(b)_center"]!], m.rawValue] + fields) + "\n"
                }
            }
        }
        let target = directory + "/" + Self.metaFileName, temporary = target + ".partial"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        } catch {
            throw FormatError(file: target, message: "cannot write it: \(error)")
        }
    }
}
