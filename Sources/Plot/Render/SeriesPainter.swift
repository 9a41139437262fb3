import Cairo

/// Draws a panel's series in its plot rectangle (already clipped): rasters first, then bars and histograms, then
/// lines with their errors, then points.
struct SeriesPainter {
    let context: Context
    let place: Placement
    let pixelsPerPoint: Double

    func draw(_ series: [Series]) throws {
        for case .raster(let raster) in series { try draw(raster) }
        for s in series {
            switch s {
            case .histogram(let histogram): draw(histogram)
            case .bars(let bars): draw(bars)
            default: break
            }
        }
        for case .line(let line) in series { draw(line) }
        for case .scatter(let scatter) in series { draw(scatter) }
    }

    /// The page positions of every placeable point of lines and scatters (for the legend's placement).
    static func points(_ series: [Series], _ place: Placement) -> [(Double, Double)] {
        var points: [(Double, Double)] = []
        for s in series {
            let (xs, ys): ([Double], [Double])
            switch s {
            case .line(let l): (xs, ys) = (l.x, l.y)
            case .scatter(let sc): (xs, ys) = (sc.x, sc.y)
            case .histogram(let h): (xs, ys) = (zip(h.edges, h.edges.dropFirst()).map { ($0 + $1) / 2 }, h.counts)
            default: continue
            }
            for (x, y) in zip(xs, ys) where place.xScale.accepts(x) && place.yScale.accepts(y) {
                points.append((place.x(x), place.y(y)))
            }
        }
        return points
    }

    func draw(_ raster: Raster) throws {
        let left = place.x(raster.x.lowerBound), right = place.x(raster.x.upperBound)
        let top = place.y(raster.y.lowerBound), bottom = place.y(raster.y.upperBound)
        let w = abs(right - left), h = abs(bottom - top)
        // Downscaled frames are averaged; enlarged images keep sharp pixels.
        let smooth = Double(raster.width) > w * pixelsPerPoint || Double(raster.height) > h * pixelsPerPoint
        var pixels = raster.pixels()
        var (width, height) = (raster.width, raster.height)
        // An image axis may run either way: flip the pixels so that the first row lands at y's lower bound.
        if top > bottom { pixels = flipRows(pixels, width: width, height: height) }
        if left > right { pixels = flipColumns(pixels, width: width, height: height) }
        if !smooth && (width < 64 || height < 64) {
            // cairo's nearest filter on tiny sources blurs at the edges in some viewers: enlarge first.
            let factor = max(1, Int(min(w, h) * pixelsPerPoint / Double(max(width, height))))
            (pixels, width, height) = enlarge(pixels, width: width, height: height, by: factor)
        }
        try context.drawImage(argb: pixels, width: width, height: height, x: min(left, right), y: min(top, bottom),
                              w: w, h: h, smooth: smooth)
    }

    func draw(_ histogram: Histogram) {
        let baseline = place.yScale.kind == .log ? place.yScale.lower : max(0, place.yScale.lower)
        context.setColor(histogram.color.opacity(0.75))
        for (i, count) in histogram.counts.enumerated() where count > 0 && place.yScale.accepts(count) {
            let x0 = place.x(histogram.edges[i]), x1 = place.x(histogram.edges[i + 1])
            let y0 = place.y(baseline), y1 = place.y(count)
            context.rectangle(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
        }
        context.fill()
    }

    func draw(_ bars: Bars) {
        let baseline = place.yScale.kind == .log ? place.yScale.lower : 0
        for (i, value) in bars.values.enumerated() where place.yScale.accepts(value) {
            let x0 = place.x(Double(i) - 0.35), x1 = place.x(Double(i) + 0.35)
            let y0 = place.y(baseline), y1 = place.y(value)
            context.setColor(bars.colors[i % bars.colors.count].opacity(0.85))
            context.rectangle(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
            context.fill()
        }
    }

    func draw(_ line: Line) {
        let valid = line.x.indices.map { place.xScale.accepts(line.x[$0]) && place.yScale.accepts(line.y[$0]) }
        if let errors = line.yError { drawErrors(line, errors, valid) }
        context.setColor(line.color)
        context.setLineWidth(line.width)
        context.setRoundCaps()
        context.setDash(line.dashed ? [5, 3] : [])
        if line.width > 0 {
            var drawing = false
            for i in line.x.indices {
                guard valid[i] else { drawing = false; continue }
                let (x, y) = (place.x(line.x[i]), place.y(line.y[i]))
                if drawing { context.lineTo(x, y) } else { context.moveTo(x, y) }
                drawing = true
            }
            context.stroke()
        }
        context.setDash([])
        if line.marker > 0 {
            for i in line.x.indices where valid[i] {
                context.circle(place.x(line.x[i]), place.y(line.y[i]), radius: line.marker)
            }
            context.fill()
        }
    }

    /// Error bars or a band; on a log axis an error reaching below zero ends at the axis.
    func drawErrors(_ line: Line, _ errors: [Double], _ valid: [Bool]) {
        func low(_ i: Int) -> Double {
            let v = max(line.y[i] - abs(errors[i]), line.errorFloor ?? -.infinity)
            return place.yScale.accepts(v) ? place.y(v) : place.plot.maxY + 1
        }
        func high(_ i: Int) -> Double { place.y(line.y[i] + abs(errors[i])) }
        let usable = line.x.indices.map { valid[$0] && errors[$0].isFinite }
        switch line.errorStyle {
        case .bars:
            context.setColor(line.color.opacity(0.6))
            context.setLineWidth(0.8)
            for i in line.x.indices where usable[i] {
                let x = place.x(line.x[i])
                context.moveTo(x, low(i))
                context.lineTo(x, high(i))
            }
            context.stroke()
        case .band:
            context.setColor(line.color.opacity(0.25))
            var run: [Int] = []
            func flush() {
                guard run.count > 1 else { run = []; return }
                context.moveTo(place.x(line.x[run[0]]), high(run[0]))
                for i in run.dropFirst() { context.lineTo(place.x(line.x[i]), high(i)) }
                for i in run.reversed() { context.lineTo(place.x(line.x[i]), low(i)) }
                context.closePath()
                context.fill()
                run = []
            }
            for i in line.x.indices { if usable[i] { run.append(i) } else { flush() } }
            flush()
        }
    }

    func draw(_ scatter: Scatter) {
        context.setColor(scatter.color.opacity(0.7))
        for (x, y) in zip(scatter.x, scatter.y) where place.xScale.accepts(x) && place.yScale.accepts(y) {
            context.circle(place.x(x), place.y(y), radius: scatter.radius)
        }
        context.fill()
    }

    func flipRows(_ p: [UInt32], width: Int, height: Int) -> [UInt32] {
        (0..<height).reversed().flatMap { p[$0 * width..<($0 + 1) * width] }
    }

    func flipColumns(_ p: [UInt32], width: Int, height: Int) -> [UInt32] {
        (0..<height).flatMap { p[$0 * width..<($0 + 1) * width].reversed() }
    }

    func enlarge(_ p: [UInt32], width: Int, height: Int, by factor: Int) -> ([UInt32], Int, Int) {
        guard factor > 1 else { return (p, width, height) }
        var out = [UInt32](repeating: 0, count: width * height * factor * factor)
        for row in 0..<height * factor {
            for column in 0..<width * factor {
                out[row * width * factor + column] = p[(row / factor) * width + column / factor]
            }
        }
        return (out, width * factor, height * factor)
    }
}
