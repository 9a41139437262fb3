import Foundation

/// How error bars of a line are drawn.
public enum ErrorStyle: Sendable {
    /// A vertical bar at each point.
    case bars
    /// A translucent band between y − error and y + error (dense curves).
    case band
}

/// A curve through points, optionally with errors in y, markers or dashes.
public struct Line: Sendable {
    public var x: [Double], y: [Double]
    public var yError: [Double]?
    public var label: String?
    public var color: Color
    public var width: Double
    public var dashed: Bool
    /// Draws a dot at each point (radius in points; 0: none).
    public var marker: Double
    public var errorStyle: ErrorStyle
    /// The least value the lower end of an error bar or band reaches (SAXSDog's plotchi clips its band at 0.01 so
    /// that it stays on a log axis); nil: y − error.
    public var errorFloor: Double?

    public init(x: [Double], y: [Double], yError: [Double]? = nil, label: String? = nil, color: Color = .series(0),
                width: Double = 1.4, dashed: Bool = false, marker: Double = 0, errorStyle: ErrorStyle = .bars,
                errorFloor: Double? = nil) {
        precondition(x.count == y.count && (yError?.count ?? y.count) == y.count, "a line needs as many x as y")
        (self.x, self.y, self.yError, self.label, self.color) = (x, y, yError, label, color)
        (self.width, self.dashed, self.marker, self.errorStyle) = (width, dashed, marker, errorStyle)
        self.errorFloor = errorFloor
    }
}

/// Unconnected points.
public struct Scatter: Sendable {
    public var x: [Double], y: [Double]
    public var label: String?
    public var color: Color
    public var radius: Double

    public init(x: [Double], y: [Double], label: String? = nil, color: Color = .series(0), radius: Double = 2) {
        precondition(x.count == y.count, "a scatter needs as many x as y")
        (self.x, self.y, self.label, self.color, self.radius) = (x, y, label, color, radius)
    }
}

/// Counts in bins given by their edges (edges.count == counts.count + 1), drawn as filled bars.
public struct Histogram: Sendable {
    public var edges: [Double], counts: [Double]
    public var label: String?
    public var color: Color

    public init(edges: [Double], counts: [Double], label: String? = nil, color: Color = .series(0)) {
        precondition(edges.count == counts.count + 1, "a histogram needs one edge more than counts")
        (self.edges, self.counts, self.label, self.color) = (edges, counts, label, color)
    }

    /// The histogram of `values` in `bins` equal bins over `range` (in log10 of the values on a log axis); values
    /// outside the range, not finite, or not positive on a log axis are not counted.
    public init<S: Sequence<Double>>(of values: S, bins: Int, range: ClosedRange<Double>, scale: ScaleKind = .linear,
                                     label: String? = nil, color: Color = .series(0)) {
        precondition(bins > 0 && range.upperBound > range.lowerBound, "a histogram needs bins and a range")
        let transform: (Double) -> Double = scale == .log ? { $0 > 0 ? log10($0) : .nan } : { $0 }
        let low = transform(range.lowerBound), high = transform(range.upperBound)
        var counts = [Double](repeating: 0, count: bins)
        for value in values {
            let t = transform(value)
            guard t.isFinite, t >= low, t <= high else { continue }
            counts[min(bins - 1, Int((t - low) / (high - low) * Double(bins)))] += 1
        }
        let edges = (0...bins).map { i -> Double in
            let t = low + (high - low) * Double(i) / Double(bins)
            return scale == .log ? pow(10, t) : t
        }
        self.init(edges: edges, counts: counts, label: label, color: color)
    }
}

/// One bar per category (the x axis' ``Axis/categories``).
public struct Bars: Sendable {
    public var values: [Double]
    public var colors: [Color]

    public init(_ values: [Double], colors: [Color]? = nil) {
        self.values = values
        self.colors = colors ?? values.indices.map { Color.series($0) }
    }
}

/// What a panel draws.
public enum Series: Sendable {
    case line(Line)
    case scatter(Scatter)
    case histogram(Histogram)
    case bars(Bars)
    case raster(Raster)
}
