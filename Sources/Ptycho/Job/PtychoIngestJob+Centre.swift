import Core

extension PtychoIngestJob {
    /// Parts the mean pattern is summed in: a fixed number, so that the sum (and the centre) does not depend on
    /// the number of ranks.
    static let centreParts = 64

    /// With `center: auto` and an ROI: the sub-pixel centre of mass of the mean corrected pattern over the pixels
    /// no static mask bit excludes, on the oriented frame; the window is centred on it (rounded to a pixel). The
    /// positions are summed in ``centreParts`` blocks spread over the ranks, then added in block order.
    public mutating func prepare(_ build: SharedBuild) throws {
        guard findsCentre else { return }
        let pixels = scan.rows * scan.columns, fpp = settings.framesPerPosition, n = itemCount
        let source = self.source, response = scan.response
        let parts = try build.parts(min(n, Self.centreParts)) { part in
            var sum = [Double](repeating: 0, count: pixels)
            var block = source.makeBlock()
            for p in Partition.block(count: n, parts: min(n, Self.centreParts), part: part) {
                try source.read(items: [p], into: &block)
                for k in 0..<fpp {
                    var frame = block.frames[k * pixels..<(k + 1) * pixels]
                    response.correct(&frame)
                    var i = 0
                    for v in frame { sum[i] += Double(v); i += 1 }
                }
            }
            return sum.withUnsafeBytes { Array($0) }
        }
        var mean = [Double](repeating: 0, count: pixels)
        for bytes in parts {
            bytes.withUnsafeBytes { raw in
                for (i, v) in raw.bindMemory(to: Double.self).enumerated() { mean[i] += v }
            }
        }
        let orientation = settings.orientation
        let oriented = orientation.orientedSize(rows: scan.rows, columns: scan.columns)
        var (weight, sumRow, sumColumn) = (0.0, 0.0, 0.0)
        for r in 0..<oriented.rows {
            for c in 0..<oriented.columns {
                let s = orientation.source(r: r, c: c, rows: scan.rows, columns: scan.columns)
                let i = s.row * scan.columns + s.column
                guard response.bits[i] == 0 else { continue }
                let w = max(mean[i], 0)
                weight += w
                sumRow += w * Double(r)
                sumColumn += w * Double(c)
            }
        }
        guard weight > 0 else {
            throw ConfigError(key: "center", "auto: the mean pattern holds no counts on unmasked pixels; give cy,cx")
        }
        centre = (sumRow / weight, sumColumn / weight)
        window = FrameWindow(frameRows: scan.rows, frameColumns: scan.columns, orientation: orientation,
                             roi: settings.roi, centre: centre)
    }
}
