/// Data to page coordinates for one panel.
struct Placement {
    let plot: Rect
    let xScale: Scale, yScale: Scale
    let xInverted: Bool, yInverted: Bool

    init(plot: Rect, x: Scale, y: Scale, xInverted: Bool, yInverted: Bool) {
        (self.plot, xScale, yScale, self.xInverted, self.yInverted) = (plot, x, y, xInverted, yInverted)
    }

    func x(_ v: Double) -> Double {
        let f = xScale.fraction(v)
        return plot.x + (xInverted ? 1 - f : f) * plot.width
    }

    func y(_ v: Double) -> Double {
        let f = yScale.fraction(v)
        return yInverted ? plot.y + f * plot.height : plot.maxY - f * plot.height
    }
}
