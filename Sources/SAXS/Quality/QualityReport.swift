import Batch
import Core
import Formats
import Foundation

/// The dataset-level quality control of a SAXS run (`beamforge saxs-qc DIR`, also written at the end of a run):
/// the distribution of per-curve reduced χ², and Guinier radii against the z-averaged theoretical Rg where the
/// q range holds a Guinier region.
public struct QualityReport: Encodable, Sendable {
    /// Mean, median and 5th and 95th percentiles of the finite values.
    public struct Distribution: Encodable, Sendable {
        public var mean, median, p05, p95: Double

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, value) in [(CodingKeys.mean, mean), (.median, median), (.p05, p05), (.p95, p95)] {
                try container.encodeFinite(value, forKey: key)
            }
        }

        enum CodingKeys: String, CodingKey { case mean, median, p05, p95 }

        init(_ values: [Double]) {
            let sorted = values.filter(\.isFinite).sorted()
            func at(_ f: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(f * Double(sorted.count)))] }
            mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
            median = at(0.5)
            p05 = at(0.05)
            p95 = at(0.95)
        }
    }

    /// How the automatic Guinier fits recover the true Rg.
    public struct Guinier: Encodable, Sendable {
        /// Curves whose q range holds a Guinier region for their true Rg.
        public var applicable: Int
        /// Of those, curves where the automatic fit found a window.
        public var fitted: Int
        /// Of the fitted, |Rg_fit/Rg_true − 1| ≤ 0.1.
        public var within10Percent: Int
        public var fractionWithin10Percent: Double
        public var medianRelativeError: Double

        enum CodingKeys: String, CodingKey {
            case applicable, fitted
            case within10Percent = "within_10_percent"
            case fractionWithin10Percent = "fraction_within_10_percent"
            case medianRelativeError = "median_relative_error"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(applicable, forKey: .applicable)
            try container.encode(fitted, forKey: .fitted)
            try container.encode(within10Percent, forKey: .within10Percent)
            try container.encodeFinite(fractionWithin10Percent, forKey: .fractionWithin10Percent)
            try container.encodeFinite(medianRelativeError, forKey: .medianRelativeError)
        }
    }

    /// The report of one shape class.
    public struct Group: Encodable, Sendable {
        public var curves: Int
        public var chi2: Distribution
        public var guinier: Guinier
    }

    public var curves: Int
    /// χ²/N with the model's σ: 1 expected at any count level.
    public var chi2: Distribution
    /// χ²/N with σ from the observed counts (biased upward where bins hold few counts, docs/reference/saxs-physics.md §6.5).
    public var chi2Observed: Distribution
    public var guinier: Guinier
    public var byClass: [String: Group]
    public var note: String

    enum CodingKeys: String, CodingKey {
        case curves, chi2, guinier, note
        case chi2Observed = "chi2_observed"
        case byClass = "by_class"
    }

    /// One curve's QC fields, as in meta.csv.
    public struct Record: Sendable {
        public var shapeClass: String
        public var chi2: Double
        public var chi2Observed: Double
        public var guinierApplicable: Bool
        public var guinierRelativeError: Double?
    }

    public init(_ records: [Record]) {
        curves = records.count
        chi2 = Distribution(records.map(\.chi2))
        chi2Observed = Distribution(records.map(\.chi2Observed))
        guinier = Self.guinier(records)
        var groups: [String: Group] = [:]
        for name in Set(records.map(\.shapeClass)) {
            let subset = records.filter { $0.shapeClass == name }
            groups[name] = Group(curves: subset.count, chi2: Distribution(subset.map(\.chi2)), guinier: Self.guinier(subset))
        }
        byClass = groups
        note = "chi2 uses the model sigma sqrt(lambda_S + lambda_B)/normaliser; chi2_observed the reported sigma. "
            + "Guinier: automatic window (q_min*Rg < 1, q_max*Rg <= 1.3) against the z-averaged contrast-weighted Rg, "
            + "only where q_min*Rg_true <= 1 (0.8 for rods and prolate bodies) with >= 10 points; elongated bodies "
            + "fit 5-6.5 % low at q*Rg = 1.3 (saxs-physics.md 7.3)."
    }

    static func guinier(_ records: [Record]) -> Guinier {
        let applicable = records.filter(\.guinierApplicable)
        let errors = applicable.compactMap(\.guinierRelativeError)
        let within = errors.filter { abs($0) <= 0.1 }.count
        let sorted = errors.map { abs($0) }.sorted()
        return Guinier(applicable: applicable.count, fitted: errors.count, within10Percent: within,
                       fractionWithin10Percent: errors.isEmpty ? .nan : Double(within) / Double(errors.count),
                       medianRelativeError: sorted.isEmpty ? .nan : sorted[sorted.count / 2])
    }

    /// The records of a meta.csv written by ``SAXSJob``.
    public static func records(metadataCSV text: String, file: String) throws -> [Record] {
        try records(rows: try CSV.parse(text), file: file)
    }

    static func records(rows: [[String]], file: String) throws -> [Record] {
        guard let header = rows.first else { throw FormatError(file: file, message: "empty metadata file") }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw FormatError(file: file, message: "no column '\(name)'")
            }
            return i
        }
        let shape = try column("shape_class"), chi2 = try column("chi2_red"), observed = try column("chi2_red_observed")
        let applicable = try column("guinier_applicable"), error = try column("guinier_rel_error")
        return rows.dropFirst().filter { $0.count == header.count }.map { row in
            Record(shapeClass: row[shape], chi2: Double(row[chi2]) ?? .nan, chi2Observed: Double(row[observed]) ?? .nan,
                   guinierApplicable: row[applicable] == "1", guinierRelativeError: Double(row[error]))
        }
    }

    /// Recomputes every curve's QC from `DIR/saxs.h5` (I, σ, I_model and the stored normalisers) and the true Rg
    /// in `DIR/meta.csv`. Returns the records and how many disagree with the QC columns stored in meta.csv.
    public static func recompute(directory: String) throws -> (records: [Record], mismatches: Int) {
        let metaPath = directory + "/meta.csv"
        guard let data = FileManager.default.contents(atPath: metaPath) else {
            throw FormatError(file: metaPath, message: "cannot read the metadata file")
        }
        let rows = try CSV.parse(String(decoding: data, as: UTF8.self))
        let stored = try records(rows: rows, file: metaPath)
        guard let rgColumn = rows[0].firstIndex(of: "rg_true") else {
            throw FormatError(file: metaPath, message: "no column 'rg_true'")
        }
        let file = try JobOutputFile(directory: directory, job: "saxs")
        defer { try? file.close() }
        let (q, width) = try file.doubles("q")
        let intensity = try file.doubles("I").values, sigma = try file.doubles("sigma").values
        let model = try file.doubles("I_model").values
        let instrument = try file.integers("instrument"), shape = try file.integers("shape_class")
        guard case .strings(let instrumentNames)? = try file.attribute("names", of: "instrument"),
              case .strings(let classNames)? = try file.attribute("names", of: "shape_class") else {
            throw FormatError(file: file.path, message: "instrument or shape_class names are missing")
        }
        var normaliser: [[Double]] = [], background: [[Double]] = []
        for name in instrumentNames {
            guard case .doubles(let n)? = try file.attribute("normaliser_\(name)", of: "instrument"),
                  case .doubles(let b)? = try file.attribute("background_counts_\(name)", of: "instrument") else {
                throw FormatError(file: file.path, message: "normalisers of instrument \(name) are missing")
            }
            normaliser.append(n)
            background.append(b)
        }
        guard instrument.count == stored.count else {
            throw FormatError(file: metaPath, message: "\(stored.count) rows for \(instrument.count) curves in \(file.path)")
        }
        var records: [Record] = [], mismatches = 0
        for i in 0..<instrument.count {
            let k = Int(instrument[i]), n = normaliser[k].count
            let range = (i * width)..<(i * width + n)
            let m = Array(model[range])
            let modelSigma = (0..<n).map {
                DetectorSimulation.modelSigma(model: m[$0], normaliser: normaliser[k][$0], backgroundCounts: background[k][$0])
            }
            let name = classNames[Int(shape[i])]
            let qc = CurveQC(q: Array(q[range]), intensity: Array(intensity[range]), model: m, sigma: Array(sigma[range]),
                             modelSigma: modelSigma, minimumCounts: 0, rgTrue: Double(rows[i + 1][rgColumn]) ?? .nan,
                             elongated: ShapeClass(rawValue: name)?.isElongated ?? false)
            let record = Record(shapeClass: name, chi2: qc.chi2, chi2Observed: qc.chi2Observed,
                                guinierApplicable: qc.guinierApplicable, guinierRelativeError: qc.guinierRelativeError)
            if abs(record.chi2 / stored[i].chi2 - 1) > 1e-9 || record.guinierApplicable != stored[i].guinierApplicable {
                mismatches += 1
            }
            records.append(record)
        }
        return (records, mismatches)
    }

    /// A few lines for the terminal.
    public var summary: String {
        func f(_ v: Double) -> String { String(format: "%.3f", v) }
        var lines = ["QC of \(curves) curves:",
                     "  reduced chi2 (model sigma): mean \(f(chi2.mean)), median \(f(chi2.median)), 5-95% \(f(chi2.p05))-\(f(chi2.p95))",
                     "  reduced chi2 (observed sigma): mean \(f(chi2Observed.mean))",
                     "  Guinier: \(guinier.applicable) curves with a Guinier region, \(guinier.fitted) fitted, "
                        + "\(f(100 * guinier.fractionWithin10Percent))% within 10% of the z-averaged Rg"]
        for name in byClass.keys.sorted() {
            let g = byClass[name]!
            lines.append("    \(name): chi2 \(f(g.chi2.mean)), Guinier \(g.guinier.fitted)/\(g.guinier.applicable) fitted, "
                         + "\(f(100 * g.guinier.fractionWithin10Percent))% within 10%")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `DIR/qc.json` (snake_case keys; a value that cannot be computed, such as the median of no fits, is
    /// `null`, never the string "nan").
    public func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/qc.json"), options: .atomic)
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or `null` when it is NaN or infinite (JSON has no such numbers).
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
