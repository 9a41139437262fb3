import Cairo

/// A legend: one entry per labelled series, in a box in a corner of the plot.
struct Legend {
    enum Swatch { case line(Color, dashed: Bool), dot(Color), box(Color) }
    var entries: [(label: String, swatch: Swatch)]

    init(_ series: [Series]) {
        entries = series.compactMap { series in
            switch series {
            case .line(let l): return l.label.map { ($0, .line(l.color, dashed: l.dashed)) }
            case .scatter(let s): return s.label.map { ($0, .dot(s.color)) }
            case .histogram(let h): return h.label.map { ($0, .box(h.color)) }
            case .bars, .raster: return nil
            }
        }
    }

    static let rowHeight = 14.0, swatchWidth = 18.0, padding = 5.0

    func size(_ context: Context) -> (width: Double, height: Double) {
        let widest = entries.map { context.width(of: $0.label, size: Font.legend) }.max() ?? 0
        return (widest + Legend.swatchWidth + 3 * Legend.padding, Double(entries.count) * Legend.rowHeight + Legend.padding)
    }

    /// The corner box for `placement`; `.auto` takes the corner holding the fewest of `points` (ties: top right,
    /// top left, bottom right, bottom left).
    static func box(_ placement: LegendPlacement, plot: Rect, width: Double, height: Double,
                    points: [(Double, Double)]) -> Rect {
        let inset = 6.0
        func corner(_ p: LegendPlacement) -> Rect {
            let left = plot.x + inset, right = plot.maxX - inset - width
            let top = plot.y + inset, bottom = plot.maxY - inset - height
            switch p {
            case .topLeft: return Rect(x: left, y: top, width: width, height: height)
            case .bottomRight: return Rect(x: right, y: bottom, width: width, height: height)
            case .bottomLeft: return Rect(x: left, y: bottom, width: width, height: height)
            default: return Rect(x: right, y: top, width: width, height: height)
            }
        }
        guard placement == .auto else { return corner(placement) }
        let candidates: [LegendPlacement] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
        let counts = candidates.map { p in let r = corner(p); return points.filter { r.contains($0.0, $0.1) }.count }
        return corner(candidates[counts.indices.min { counts[$0] < counts[$1] }!])
    }

    func draw(_ context: Context, in box: Rect) {
        context.setColor(Color.white.opacity(0.85))
        context.rectangle(box.x, box.y, box.width, box.height)
        context.fillPreserve()
        context.setColor(Color(rgb: 0xBBBBBB))
        context.setLineWidth(0.6)
        context.stroke()
        for (row, entry) in entries.enumerated() {
            let y = box.y + Legend.padding + (Double(row) + 0.5) * Legend.rowHeight
            let x = box.x + Legend.padding
            switch entry.swatch {
            case .line(let color, let dashed):
                context.setColor(color)
                context.setLineWidth(1.6)
                context.setDash(dashed ? [4, 2.5] : [])
                context.moveTo(x, y)
                context.lineTo(x + Legend.swatchWidth, y)
                context.stroke()
                context.setDash([])
            case .dot(let color):
                context.setColor(color)
                context.circle(x + Legend.swatchWidth / 2, y, radius: 2.8)
                context.fill()
            case .box(let color):
                context.setColor(color.opacity(0.75))
                context.rectangle(x + 3, y - 4.5, Legend.swatchWidth - 6, 9)
                context.fill()
            }
            context.setColor(.ink)
            context.text(entry.label, x: x + Legend.swatchWidth + Legend.padding, y: y, size: Font.legend)
        }
    }
}
