import Batch
import Core

extension PtychoIngestJob {
    public func produce(batch: [ItemContext], input: PositionBlock) throws -> [ItemOutput] {
        let pixels = scan.rows * scan.columns, fpp = settings.framesPerPosition
        return batch.enumerated().map { slot, context in
            // One copy of the position's raw frames (the block stays as read), corrected in place.
            let base = slot * fpp * pixels
            var frames = input.frames[base..<base + fpp * pixels]
            return produce(position: context.item, frames: &frames)
        }
    }

    /// One position from its raw exposures (`frames_per_pos` frames of the raw grid, corrected in place).
    func produce(position p: Int, frames: inout ArraySlice<Float>) -> ItemOutput {
        let pixels = scan.rows * scan.columns, fpp = settings.framesPerPosition
        // Saturation on the raw counts, per exposure, before any correction; then the correction in place.
        var saturated = [[Bool]](repeating: [], count: fpp)
        var saturatedCounts = [Int](repeating: 0, count: fpp)
        let level = scan.saturation.map(Float.init)
        frames.withUnsafeMutableBufferPointer { all in
            for k in 0..<fpp {
                let frame = UnsafeMutableBufferPointer(rebasing: all[k * pixels..<(k + 1) * pixels])
                var flags = [Bool](repeating: false, count: pixels), count = 0
                if let level {
                    for i in 0..<pixels where frame[i] >= level { flags[i] = true; count += 1 }
                }
                (saturated[k], saturatedCounts[k]) = (flags, count)
                scan.response.correct(frame)
            }
        }
        let (image, used) = group(frames, pixels: pixels, saturatedCounts: saturatedCounts)
        var union = [Bool](repeating: false, count: pixels)
        for k in used { for i in 0..<pixels where saturated[k][i] { union[i] = true } }

        let data = window.gather(image, fill: 0)
        let bits = scan.response.bits
        let valid: [UInt8] = window.sources.map { s in s >= 0 && bits[s] == 0 && !union[s] ? 1 : 0 }
        let saturatedPixels = union.reduce(0) { $0 + ($1 ? 1 : 0) }
        let first = p * fpp, x = scan.geometry.x[first], y = scan.geometry.y[first]
        let total = data.reduce(0.0) { $0 + Double($1) }
        var values: [String: Column] = [
            "data": .float32(data), "mask_valid": .uint8(valid), "pos": .float64([y, x]),
            "posx_m": .float64([x]), "posy_m": .float64([y]), "translation": .float64([x, y, 0]),
        ]
        let chosen = settings.grouping == .first || settings.grouping == .best ? used.first : nil
        if let e = exposure(position: p, chosen: chosen) { values["exposure_s"] = .float64([e]) }
        let frameList = used.map { String(first + $0) }.joined(separator: ";")
        return ItemOutput(values: values, metadata: [
            String(p), frameList, "\(x)", "\(y)", "\(total)", String(saturatedPixels),
            saturatedPixels > 0 ? "saturated" : "ok",
        ])
    }

    /// The grouped pattern of one position's corrected exposures and the exposures it uses.
    func group(_ frames: ArraySlice<Float>, pixels: Int, saturatedCounts: [Int]) -> ([Float], [Int]) {
        let fpp = settings.framesPerPosition, start = frames.startIndex
        func frame(_ k: Int) -> [Float] { Array(frames[start + k * pixels..<start + (k + 1) * pixels]) }
        switch settings.grouping {
        case .first, .none:
            return (frame(0), [0])
        case .best:
            // Fewest saturated pixels, then the largest total, then the earliest.
            var best = 0, bestTotal = -Double.infinity
            for k in 0..<fpp {
                let total = frames[start + k * pixels..<start + (k + 1) * pixels].reduce(0.0) { $0 + Double($1) }
                if saturatedCounts[k] < saturatedCounts[best] || (saturatedCounts[k] == saturatedCounts[best] && total > bestTotal) {
                    (best, bestTotal) = (k, total)
                }
            }
            return (frame(best), [best])
        case .sum, .mean:
            var out = frame(0)
            frames.withUnsafeBufferPointer { all in
                out.withUnsafeMutableBufferPointer { out in
                    for k in 1..<max(fpp, 1) {
                        let offset = k * pixels
                        for i in 0..<pixels { out[i] += all[offset + i] }
                    }
                }
            }
            if settings.grouping == .mean { for i in 0..<pixels { out[i] /= Float(fpp) } }
            return (out, Array(0..<fpp))
        case .median:
            var out = [Float](repeating: 0, count: pixels), column = [Float](repeating: 0, count: fpp)
            for i in 0..<pixels {
                for k in 0..<fpp { column[k] = frames[start + k * pixels + i] }
                column.sort()
                out[i] = fpp % 2 == 1 ? column[fpp / 2] : (column[fpp / 2 - 1] + column[fpp / 2]) / 2
            }
            return (out, Array(0..<fpp))
        }
    }
}
