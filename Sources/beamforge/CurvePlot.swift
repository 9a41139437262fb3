import Core
import Formats
import Plot

/// SAXSDog's plotchi as a figure: I(q) of every curve with its error band, and with `compare` a second panel of
/// each later curve's relative difference to the first, 100·(I − I_ref)/I_ref in %, on the first curve's q (the
/// others linearly interpolated there; plotchi draws I − I_ref with the percentage on a twin axis, which the Plot
/// module does not have).
struct CurvePlot {
    var curves: [PlotCurve]
    var xScale: ScaleKind = .linear
    var yScale: ScaleKind = .linear
    var compare = false
    var legend = true
    var title: String?
    var xLabel = "q [1/nm]"
    var yLabel = "Intensity [counts/pixel]"
    var width = 480.0, height = 360.0

    /// The lower end of the error band, as plotchi clips it (`I − err` at least 0.01).
    static let bandFloor = 0.01

    /// One drawn value: the panel ("intensity" or "relative_error_percent"), the curve's label, x, y and y's error
    /// (NaN when there is none); what `--data-out` writes.
    struct Point: Equatable {
        let panel: String, curve: String
        let x: Double, y: Double, error: Double
    }

    /// The relative differences of `curve` to `reference` on the reference's x, in %; NaN outside the curve's
    /// range and where the reference is 0.
    static func relativeDifference(_ curve: ChiCurve, to reference: ChiCurve) -> [Double] {
        let interpolated = curve.intensity(at: reference.x)
        return zip(interpolated, reference.intensity).map { i, r in r == 0 ? .nan : 100 * (i - r) / r }
    }

    /// Every value the figure draws, in drawing order.
    func points() -> [Point] {
        var out: [Point] = []
        for c in curves {
            for k in c.curve.x.indices {
                out.append(Point(panel: "intensity", curve: c.label, x: c.curve.x[k], y: c.curve.intensity[k],
                                 error: c.curve.error?[k] ?? .nan))
            }
        }
        guard compare, let reference = curves.first else { return out }
        for c in curves.dropFirst() {
            for (x, y) in zip(reference.curve.x, Self.relativeDifference(c.curve, to: reference.curve)) {
                out.append(Point(panel: "relative_error_percent", curve: c.label, x: x, y: y, error: .nan))
            }
        }
        return out
    }

    /// The figure: one panel, or two (intensities over relative differences) when comparing.
    func figure() -> Figure {
        var top = Axes(title: title, x: Axis(xLabel, scale: xScale), y: Axis(yLabel, scale: yScale),
                       legend: legend ? .auto : .none)
        for (k, c) in curves.enumerated() {
            top.add(.line(Line(x: c.curve.x, y: c.curve.intensity, yError: c.curve.error, label: c.label,
                               color: .series(k), width: 1.2, errorStyle: .band, errorFloor: Self.bandFloor)))
        }
        guard compare, let reference = curves.first else { return Figure(top, width: width, height: height) }
        var bottom = Axes(x: Axis(xLabel, scale: xScale), y: Axis("relative error % (to \(reference.label))"),
                          legend: legend ? .auto : .none)
        for (k, c) in curves.enumerated().dropFirst() {
            bottom.add(.line(Line(x: reference.curve.x, y: Self.relativeDifference(c.curve, to: reference.curve),
                                  label: c.label, color: .series(k), width: 1.2)))
        }
        return Figure([top, bottom], columns: 1, width: width, height: height)
    }
}
