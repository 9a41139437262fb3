import Cairo
import Foundation

/// Lays out and draws one panel: margins from the measured tick labels, grid, series, frame, ticks, labels,
/// title, legend and colour bar.
struct PanelRenderer {
    let axes: Axes
    let context: Context
    let pixelsPerPoint: Double

    static let padding = 8.0, tickLength = 4.0, colorBarWidth = 12.0, colorBarGap = 10.0
    /// Category labels are turned by this angle when they do not fit side by side.
    static let categoryAngle = Double.pi / 5

    /// Where things go: the plot rectangle, the ticks on each axis and the colour bar's scale and ticks.
    struct Layout {
        var plot: Rect
        var xTicks: [Tick], yTicks: [Tick]
        var rotatedCategories = false
        var colorBar: (raster: Raster, scale: Scale, ticks: [Tick])?
    }

    func draw(in cell: Rect) throws {
        let xScale = PanelScales.x(axes), yScale = PanelScales.y(axes)
        let layout = self.layout(in: cell, xScale: xScale, yScale: yScale)
        let plot = layout.plot
        let place = Placement(plot: plot, x: xScale, y: yScale, xInverted: axes.x.inverted, yInverted: axes.y.inverted)

        drawGrid(layout, place)
        context.save()
        context.rectangle(plot.x, plot.y, plot.width, plot.height)
        context.clip()
        try SeriesPainter(context: context, place: place, pixelsPerPoint: pixelsPerPoint).draw(axes.series)
        context.restore()
        drawFrameAndTicks(layout, place)
        drawLabels(layout, cell: cell)
        if let bar = layout.colorBar { try drawColorBar(bar, plot: plot) }
        let legend = Legend(axes.series)
        if !legend.entries.isEmpty && axes.legend != .none {
            let size = legend.size(context)
            let box = Legend.box(axes.legend, plot: plot, width: size.width, height: size.height,
                                 points: SeriesPainter.points(axes.series, place))
            legend.draw(context, in: box)
        }
        if let note = axes.note {
            context.setColor(Color(rgb: 0x777777))
            context.text(note, x: plot.x + plot.width / 2, y: plot.y + plot.height / 2, anchor: .middle, size: Font.note)
        }
    }

    func layout(in cell: Rect, xScale: Scale, yScale: Scale) -> Layout {
        let p = PanelRenderer.padding
        let top = cell.y + p + (axes.title == nil ? 2 : 20)
        var colorBar: (raster: Raster, scale: Scale, ticks: [Tick])?
        var right = cell.maxX - p
        let raster = axes.series.lazy.compactMap { if case .raster(let r) = $0 { r } else { nil } }.first
        if let raster, let label = raster.colorBarLabel {
            let scale = raster.colorScale
            let ticks = Ticks.fitting(scale, length: cell.height * 0.6, gap: 6) { _ in Font.tick * 1.2 }
            let widest = ticks.compactMap(\.label).map { context.width(of: $0, size: Font.tick) }.max() ?? 0
            right -= PanelRenderer.colorBarGap + PanelRenderer.colorBarWidth + PanelRenderer.tickLength + 3 + widest
                + (label.isEmpty ? 0 : 18)
            colorBar = (raster, scale, ticks)
        }
        // Bottom: tick labels and the axis label (or turned category names).
        var rotated = false
        var bottomMargin = p + Font.tick * 1.3 + PanelRenderer.tickLength + 4 + (axes.x.label.isEmpty ? 0 : 18)
        if let categories = axes.x.categories {
            let widths = categories.map { context.width(of: $0, size: Font.tick) }
            let slot = (right - cell.x - 60) / Double(max(1, categories.count))
            if (widths.max() ?? 0) + 6 > slot {
                rotated = true
                bottomMargin += (widths.max() ?? 0) * sin(PanelRenderer.categoryAngle)
            }
        }
        let bottom = cell.maxY - bottomMargin
        let yTicks = ticks(for: axes.y, yScale, length: bottom - top) { _ in Font.tick * 1.25 }
        let widestY = yTicks.compactMap(\.label).map { context.width(of: $0, size: Font.tick) }.max() ?? 0
        let left = cell.x + p + (axes.y.label.isEmpty ? 0 : 18) + widestY + PanelRenderer.tickLength + 4
        var plot = Rect(x: left, y: top, width: max(10, right - left), height: max(10, bottom - top))
        if axes.equalAspect {
            let dataAspect = (xScale.upper - xScale.lower) / (yScale.upper - yScale.lower)
            if plot.width / plot.height > dataAspect {
                let width = plot.height * dataAspect
                plot.x += (plot.width - width) / 2
                plot.width = width
            } else {
                let height = plot.width / dataAspect
                plot.y += (plot.height - height) / 2
                plot.height = height
            }
        }
        let xTicks = ticks(for: axes.x, xScale, length: plot.width) { context.width(of: $0, size: Font.tick) }
        return Layout(plot: plot, xTicks: xTicks, yTicks: yTicks, rotatedCategories: rotated, colorBar: colorBar)
    }

    func ticks(for axis: Axis, _ scale: Scale, length: Double, extent: (String) -> Double) -> [Tick] {
        if let categories = axis.categories { return categories.enumerated().map { Tick(Double($0.offset), $0.element) } }
        return Ticks.fitting(scale, length: length, extent: extent)
    }

    func drawGrid(_ layout: Layout, _ place: Placement) {
        context.setColor(.grid)
        context.setLineWidth(0.5)
        let plot = layout.plot
        if axes.x.categories == nil {
            for tick in layout.xTicks where tick.label != nil {
                let x = place.x(tick.value)
                context.moveTo(x, plot.y)
                context.lineTo(x, plot.maxY)
            }
        }
        for tick in layout.yTicks where tick.label != nil {
            let y = place.y(tick.value)
            context.moveTo(plot.x, y)
            context.lineTo(plot.maxX, y)
        }
        context.stroke()
    }

    func drawFrameAndTicks(_ layout: Layout, _ place: Placement) {
        let plot = layout.plot, t = PanelRenderer.tickLength
        context.setColor(.ink)
        context.setLineWidth(0.8)
        context.rectangle(plot.x, plot.y, plot.width, plot.height)
        context.stroke()
        for tick in layout.xTicks {
            let x = place.x(tick.value)
            guard x >= plot.x - 0.5 && x <= plot.maxX + 0.5 else { continue }
            context.moveTo(x, plot.maxY)
            context.lineTo(x, plot.maxY + (tick.label == nil ? t / 2 : t))
        }
        for tick in layout.yTicks {
            let y = place.y(tick.value)
            guard y >= plot.y - 0.5 && y <= plot.maxY + 0.5 else { continue }
            context.moveTo(plot.x, y)
            context.lineTo(plot.x - (tick.label == nil ? t / 2 : t), y)
        }
        context.stroke()
        for tick in layout.xTicks {
            guard let label = tick.label else { continue }
            let x = place.x(tick.value)
            guard x >= plot.x - 0.5 && x <= plot.maxX + 0.5 else { continue }
            if layout.rotatedCategories {
                context.save()
                context.translate(x, plot.maxY + t + 4)
                context.rotate(-PanelRenderer.categoryAngle)
                context.text(label, x: 0, y: 0, anchor: .end, size: Font.tick)
                context.restore()
            } else {
                context.text(label, x: x, y: plot.maxY + t + 3 + Font.tick * 0.6, anchor: .middle, size: Font.tick)
            }
        }
        for tick in layout.yTicks {
            guard let label = tick.label else { continue }
            let y = place.y(tick.value)
            guard y >= plot.y - 0.5 && y <= plot.maxY + 0.5 else { continue }
            context.text(label, x: plot.x - t - 3, y: y, anchor: .end, size: Font.tick)
        }
    }

    func drawLabels(_ layout: Layout, cell: Rect) {
        let plot = layout.plot
        context.setColor(.ink)
        if !axes.x.label.isEmpty {
            context.text(axes.x.label, x: plot.x + plot.width / 2, y: cell.maxY - PanelRenderer.padding - 6,
                         anchor: .middle, size: Font.label)
        }
        if !axes.y.label.isEmpty {
            context.save()
            context.translate(cell.x + PanelRenderer.padding + 6, plot.y + plot.height / 2)
            context.rotate(-Double.pi / 2)
            context.text(axes.y.label, x: 0, y: 0, anchor: .middle, size: Font.label)
            context.restore()
        }
        if let title = axes.title {
            context.text(title, x: plot.x + plot.width / 2, y: cell.y + PanelRenderer.padding + 6, anchor: .middle,
                         size: Font.title, bold: true)
        }
    }

    func drawColorBar(_ bar: (raster: Raster, scale: Scale, ticks: [Tick]), plot: Rect) throws {
        let x = plot.maxX + PanelRenderer.colorBarGap, w = PanelRenderer.colorBarWidth
        let steps = 256
        let gradient = (0..<steps).map { bar.raster.colorMap.pixel(at: 1 - Double($0) / Double(steps - 1)) }
        try context.drawImage(argb: gradient, width: 1, height: steps, x: x, y: plot.y, w: w, h: plot.height, smooth: true)
        context.setColor(.ink)
        context.setLineWidth(0.8)
        context.rectangle(x, plot.y, w, plot.height)
        context.stroke()
        var widest = 0.0
        for tick in bar.ticks {
            let f = bar.scale.fraction(tick.value)
            guard f >= -1e-9 && f <= 1 + 1e-9 else { continue }
            let y = plot.maxY - f * plot.height
            context.moveTo(x + w, y)
            context.lineTo(x + w + (tick.label == nil ? 2 : PanelRenderer.tickLength), y)
            context.stroke()
            if let label = tick.label {
                context.text(label, x: x + w + PanelRenderer.tickLength + 2, y: y, size: Font.tick)
                widest = max(widest, context.width(of: label, size: Font.tick))
            }
        }
        if let label = bar.raster.colorBarLabel, !label.isEmpty {
            context.save()
            context.translate(x + w + PanelRenderer.tickLength + 2 + widest + 12, plot.y + plot.height / 2)
            context.rotate(Double.pi / 2)
            context.text(label, x: 0, y: 0, anchor: .middle, size: Font.label)
            context.restore()
        }
    }
}
