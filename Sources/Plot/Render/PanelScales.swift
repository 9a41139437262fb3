/// The data ranges of a panel's axes: the axis' fixed range, or one that fits what the panel draws.
enum PanelScales {
    static func x(_ axes: Axes) -> Scale {
        if let categories = axes.x.categories { return Scale(.linear, -0.5, Double(max(categories.count, 1)) - 0.5) }
        var values: [Double] = []
        var tight = false
        for series in axes.series {
            switch series {
            case .line(let line): values += shown(line.x, against: line.y, axes.y.scale)
            case .scatter(let scatter): values += shown(scatter.x, against: scatter.y, axes.y.scale)
            case .histogram(let histogram): values += histogram.edges; tight = true
            case .bars(let bars): values += [-0.5, Double(bars.values.count) - 0.5]; tight = true
            case .raster(let raster): values += [raster.x.lowerBound, raster.x.upperBound]; tight = true
            }
        }
        return fixedOrFitted(axes.x, values, padding: tight ? 0 : 0.03, zeroBaseline: false)
    }

    static func y(_ axes: Axes) -> Scale {
        var values: [Double] = []
        var tight = false, baseline = false
        for series in axes.series {
            switch series {
            case .line(let line): values += shown(line.y, against: line.x, axes.x.scale)
            case .scatter(let scatter): values += shown(scatter.y, against: scatter.x, axes.x.scale)
            case .histogram(let histogram):
                values += histogram.counts.filter { axes.y.scale != .log || $0 > 0 }
                if axes.y.scale == .log { values.append(0.7) }
                baseline = true
            case .bars(let bars): values += bars.values; baseline = true
            case .raster(let raster): values += [raster.y.lowerBound, raster.y.upperBound]; tight = true
            }
        }
        return fixedOrFitted(axes.y, values, padding: tight ? 0 : 0.05, zeroBaseline: baseline)
    }

    /// The values whose partners on the other axis can be drawn (a curve's empty bins do not stretch q).
    static func shown(_ values: [Double], against others: [Double], _ otherScale: ScaleKind) -> [Double] {
        zip(values, others).compactMap { v, o in o.isFinite && (otherScale != .log || o > 0) ? v : nil }
    }

    /// The axis' fixed range, or `values` padded; with `zeroBaseline` a linear scale starts at 0 (counts).
    static func fixedOrFitted(_ axis: Axis, _ values: [Double], padding: Double, zeroBaseline: Bool) -> Scale {
        if let range = axis.range, range.upperBound > range.lowerBound,
           axis.scale != .log || range.lowerBound > 0 {
            return Scale(axis.scale, range.lowerBound, range.upperBound)
        }
        guard zeroBaseline && axis.scale == .linear else { return Scale.fitting(values, kind: axis.scale, padding: padding) }
        // Counts: the axis starts at 0 (or below, for negative values) and the padding goes on top.
        var scale = Scale.fitting(values + [0], kind: .linear, padding: padding)
        if !values.contains(where: { $0 < 0 }) { scale.lower = 0 }
        return scale
    }
}
