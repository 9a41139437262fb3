/// Where a panel's legend goes.
public enum LegendPlacement: Sendable, CaseIterable {
    case topRight, topLeft, bottomRight, bottomLeft
    /// The corner that covers the fewest data points.
    case auto
    /// No legend.
    case none
}

/// One panel: axes, the series drawn in them, a title and a legend.
public struct Axes: Sendable {
    public var title: String?
    public var x: Axis, y: Axis
    public var series: [Series]
    public var legend: LegendPlacement
    /// Keeps one data unit equally long on both axes (images).
    public var equalAspect: Bool
    /// Text drawn in the middle of an empty panel (why there is nothing to show).
    public var note: String?

    public init(title: String? = nil, x: Axis = Axis(), y: Axis = Axis(), series: [Series] = [],
                legend: LegendPlacement = .auto, equalAspect: Bool = false, note: String? = nil) {
        (self.title, self.x, self.y, self.series, self.legend) = (title, x, y, series, legend)
        (self.equalAspect, self.note) = (equalAspect, note)
    }

    /// Adds a series on top of those drawn before.
    public mutating func add(_ series: Series) { self.series.append(series) }
}
