import Batch
import Foundation
import Plot
import Report

/// The figures of an `orient` run, shared by its pictures (``OrientPictures``) and its report page
/// (``OrientReport``): S, FWHM and the director versus field (or time, or sequence index) per band and model from
/// meta.csv, and the fitted profiles of single frames from orient.h5. Every figure also lists the values it draws
/// (``Point``), which the pictures write beside the PNGs.
struct OrientFigures {
    /// One drawn value: the figure, the curve's label, x, y and y's error (NaN when there is none).
    struct Point: Equatable {
        let figure: String, curve: String
        let x: Double, y: Double, error: Double
    }

    /// A figure and the values it draws.
    struct Drawn {
        let name: String, caption: String
        let axes: Axes
        let points: [Point]

        var figure: Figure { Figure(axes, width: 460, height: 320) }
    }

    let meta: MetadataTable
    let models: [String], bands: [String], statuses: [String]
    /// The abscissa of every meta.csv row and its label.
    let x: [Double], xLabel: String
    /// Each row's sweep direction: +1 rising field, −1 falling, 0 when the abscissa is not the field.
    let sweep: [Int]

    init(meta: MetadataTable) throws {
        self.meta = meta
        (models, bands, statuses) = (try meta.strings("model"), try meta.strings("q"), try meta.strings("status"))
        let frames = try meta.doubles("frame"), field = try meta.doubles("field_mT"), time = try meta.doubles("time_s")
        // The first of field, time and sequence index that varies over the run.
        func varies(_ v: [Double]) -> Bool { let f = v.filter(\.isFinite); return f.count == v.count && Set(f).count > 1 }
        if varies(field) {
            (x, xLabel) = (field, "field (mT)")
            sweep = Self.sweepDirections(frames: frames, field: field)
        } else {
            (x, xLabel) = varies(time) ? (time.map { $0 - time[0] }, "time (s)") : (frames, "frame (sequence index)")
            sweep = Array(repeating: 0, count: frames.count)
        }
    }

    /// Per row, the direction of the field sweep its frame belongs to: the sign of the change from the frame
    /// before (the first frame takes the next change's sign; an unchanged field keeps the running direction).
    static func sweepDirections(frames: [Double], field: [Double]) -> [Int] {
        // The field of each frame, in sequence order (rows repeat a frame for every band and model).
        var byFrame: [Int: Double] = [:]
        for (f, b) in zip(frames, field) { byFrame[Int(f)] = b }
        let order = byFrame.keys.sorted()
        var direction: [Int: Int] = [:]
        var running = 0
        for (k, f) in order.enumerated() where k > 0 {
            let change = byFrame[f]! - byFrame[order[k - 1]]!
            if change != 0 { running = change > 0 ? 1 : -1 }
            direction[f] = running
            if running != 0 && direction[order[0]] == nil { direction[order[0]] = running }
        }
        return frames.map { direction[Int($0)] ?? 0 }
    }

    /// `column` (± `error`) versus the abscissa, one curve per band, model and sweep direction (up solid, down
    /// dashed); failed fits left out.
    func versus(_ column: String, _ label: String, name: String, only: String? = nil, error: String? = nil) throws -> Drawn {
        let y = try meta.doubles(column), e = try error.map { try meta.doubles($0) }
        var axes = Axes(title: label, x: Axis(xLabel), y: Axis(label))
        var points: [Point] = []
        var k = 0
        for band in Self.orderedUnique(bands) {
            for model in Self.orderedUnique(models) where only == nil || model == only {
                var color = false
                for direction in [1, -1, 0] {
                    let rows = (0..<meta.count).filter {
                        bands[$0] == band && models[$0] == model && statuses[$0] == "ok" && sweep[$0] == direction
                    }
                    guard !rows.isEmpty else { continue }
                    let curve = "\(model), q = \(band)" + (direction == 1 ? ", up" : direction == -1 ? ", down" : "")
                    let errors = e.map { e in rows.map { e[$0] } }
                    axes.add(.line(Line(x: rows.map { x[$0] }, y: rows.map { y[$0] }, yError: errors, label: curve,
                                        color: .series(k), width: 1, dashed: direction == -1, marker: 2.5)))
                    for (j, r) in rows.enumerated() {
                        points.append(Point(figure: name, curve: curve, x: x[r], y: y[r], error: errors?[j] ?? .nan))
                    }
                    color = true
                }
                if color { k += 1 }
            }
        }
        let caption = "\(label) versus \(xLabel) in sequence order"
            + (sweep.contains(-1) ? " (rising field solid, falling field dashed)" : "") + "; failed fits left out."
        return Drawn(name: name, caption: caption, axes: axes, points: points)
    }

    /// Frame `frame`'s profile in band `band` with ± σ and the models fitted to it.
    static func profile(_ file: JobOutputFile, frame: Int, band: Int, label: String) throws -> Drawn {
        guard let shape = try file.shape(at: "/orient/profile_I"), shape.count == 3 else {
            throw ReportError("\(file.path): /orient/profile_I is not frames × bands × chi bins")
        }
        let name = "profile_\(frame)_q\(band)"
        let chi = try file.read(Double.self, at: "/orient/chi")
        let i = try file.read(Double.self, at: "/orient/profile_I", offset: [frame, band, 0], count: [1, 1, shape[2]])
        let s = try file.read(Double.self, at: "/orient/profile_sigma", offset: [frame, band, 0], count: [1, 1, shape[2]])
        let kept = chi.indices.filter { i[$0].isFinite }
        var axes = Axes(title: "frame \(frame), q = \(label)", x: Axis("χ (deg)"), y: Axis("I (counts/pixel)"))
        axes.add(.line(Line(x: kept.map { chi[$0] }, y: kept.map { i[$0] }, yError: kept.map { s[$0] }, label: "data",
                            color: .series(0), width: 1, errorStyle: .band)))
        var points = kept.map { Point(figure: name, curve: "data", x: chi[$0], y: i[$0], error: s[$0]) }
        for (k, model) in OrientModel.allCases.enumerated() {
            let dataset = "/orient/fit_\(model.rawValue)"
            guard try file.shape(at: dataset) != nil else { continue }
            var reflection = ReflectionType.equatorial
            if case .string(let text)? = try file.attribute("reflection_type", at: dataset) {
                reflection = ReflectionType(rawValue: text) ?? reflection
            }
            let p = try file.read(Double.self, at: dataset, offset: [frame, band, 0],
                                  count: [1, 1, model.parameterNames.count])
            guard p.allSatisfy(\.isFinite) else { continue }
            let curve = ProfileFitter(reflection: reflection).evaluator(model, p)
            let y = chi.map(curve)
            axes.add(.line(Line(x: chi, y: y, label: model.rawValue, color: .series(k + 1), width: 1.4, dashed: k == 1)))
            points += chi.indices.map { Point(figure: name, curve: model.rawValue, x: chi[$0], y: y[$0], error: .nan) }
        }
        return Drawn(name: name, caption: "Frame \(frame), q = \(label): data ± σ (shaded) and the fitted models.",
                     axes: axes, points: points)
    }

    /// The values in order of first appearance.
    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
