import Cairo

/// Draws a ``Figure``: a white page, the figure's title and each panel in its grid cell.
struct FigureRenderer {
    let figure: Figure
    let context: Context
    let pixelsPerPoint: Double

    func draw() throws {
        context.setColor(.white)
        context.paint()
        var top = 0.0
        if let title = figure.title {
            context.setColor(.ink)
            context.text(title, x: figure.width / 2, y: 14, anchor: .middle, size: Font.title + 1, bold: true)
            top = 26
        }
        let rows = max(1, (figure.panels.count + figure.columns - 1) / figure.columns)
        let cellWidth = figure.width / Double(figure.columns)
        let cellHeight = (figure.height - top) / Double(rows)
        for (index, axes) in figure.panels.enumerated() {
            let cell = Rect(x: Double(index % figure.columns) * cellWidth, y: top + Double(index / figure.columns) * cellHeight,
                            width: cellWidth, height: cellHeight)
            try PanelRenderer(axes: axes, context: context, pixelsPerPoint: pixelsPerPoint).draw(in: cell)
        }
    }
}

/// A rectangle in points, y downwards.
struct Rect: Equatable {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }

    func contains(_ px: Double, _ py: Double) -> Bool { px >= x && px <= maxX && py >= y && py <= maxY }
}
