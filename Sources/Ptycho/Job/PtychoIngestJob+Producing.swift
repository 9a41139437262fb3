import Batch
import Core

extension PtychoIngestJob {
    public func produce(batch: [ItemContext], input: PositionBlock) throws -> [ItemOutput] {
        let pixels = scan.rows * scan.columns, fpp = settings.framesPerPosition
        // One working buffer for the batch: each position's corrected exposures, written from the raw block (which
        // stays as read, no copy of it per position).
        var corrected = [Float](repeating: 0, count: fpp * pixels)
        var saturated = [UInt8](repeating: 0, count: fpp * pixels)
        // With --qc: the static mask of the written patterns, as ptycho-qc reads it from the CXI mask.
        let staticBad = settings.qc ? patternBits.map { $0 != 0 } : nil
        return input.frames.withUnsafeBufferPointer { raw in
            batch.enumerated().map { slot, context in
                let base = slot * fpp * pixels
                return produce(position: context.item, raw: UnsafeBufferPointer(rebasing: raw[base..<base + fpp * pixels]),
                               corrected: &corrected, saturated: &saturated, staticBad: staticBad)
            }
        }
    }

    /// Item `p` (scan position `positions[p]`) from its raw exposures (`frames_per_pos` frames of the raw grid),
    /// corrected into `corrected`, their saturated pixels flagged in `saturated` (both `frames_per_pos` frames long,
    /// reused between positions). With `staticBad` (`--qc`) also ptycho-qc's features of the written pattern.
    func produce(position p: Int, raw: UnsafeBufferPointer<Float>, corrected: inout [Float],
                 saturated: inout [UInt8], staticBad: [Bool]?) -> ItemOutput {
        let pixels = scan.rows * scan.columns, fpp = settings.framesPerPosition
        // Saturation on the raw counts, per exposure, before any correction; then the correction.
        var saturatedCounts = [Int](repeating: 0, count: fpp)
        let level = scan.saturation.map(Float.init) ?? .infinity
        corrected.withUnsafeMutableBufferPointer { out in
            saturated.withUnsafeMutableBufferPointer { flags in
                for k in 0..<fpp {
                    let range = k * pixels..<(k + 1) * pixels
                    saturatedCounts[k] = Self.flagSaturated(UnsafeBufferPointer(rebasing: raw[range]), level: level,
                                                            into: UnsafeMutableBufferPointer(rebasing: flags[range]))
                    scan.response.correct(UnsafeBufferPointer(rebasing: raw[range]),
                                          into: UnsafeMutableBufferPointer(rebasing: out[range]))
                }
            }
        }
        let (image, used) = group(corrected[...], pixels: pixels, saturatedCounts: saturatedCounts)
        var union = [UInt8](repeating: 0, count: pixels)
        saturated.withUnsafeBufferPointer { flags in
            union.withUnsafeMutableBufferPointer { union in
                for k in used { for i in 0..<pixels { union[i] |= flags[k * pixels + i] } }
            }
        }

        let binning = self.binning
        let data = binning.sum(window.isWholeFrame ? image : window.gather(image, fill: 0))
        let valid = binning.all(validMask(union))
        let saturatedPixels = union.reduce(0) { $0 + Int($1) }
        let position = positions[p], first = position * fpp, x = scan.geometry.x[first], y = scan.geometry.y[first]
        // Summed in pixel order, as a sequential reduce (the same on every rank).
        var total = 0.0
        data.withUnsafeBufferPointer { for v in $0 { total += Double(v) } }
        var values: [String: Column] = [
            "data": .float32(data), "mask_valid": .uint8(valid), "pos": .float64([y, x]),
            "posx_m": .float64([x]), "posy_m": .float64([y]), "translation": .float64([x, y, 0]),
        ]
        let chosen = settings.grouping == .first || settings.grouping == .best ? used.first : nil
        if let e = exposure(position: position, chosen: chosen) { values["exposure_s"] = .float64([e]) }
        if let staticBad {
            // The same features ptycho-qc computes from the file: the float32 pattern and its valid mask.
            let f = FrameFeatures(pattern: data, rows: patternSize.rows, columns: patternSize.columns,
                                  valid: valid.map { $0 != 0 }, staticBad: staticBad, side: Self.qcEmbedSide)
            values["qc_features"] = .float64(f.stored)
            values["qc_embedding"] = .float64(f.embedding)
        }
        let frameList = used.map { String(first + $0) }.joined(separator: ";")
        return ItemOutput(values: values, metadata: [
            String(p), String(position), frameList, "\(x)", "\(y)", "\(total)", String(saturatedPixels),
            saturatedPixels > 0 ? "saturated" : "ok",
        ])
    }

    /// Flags (1) the pixels of one raw exposure at or above `level`; returns how many there are.
    static func flagSaturated(_ frame: UnsafeBufferPointer<Float>, level: Float,
                              into flags: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        for i in 0..<frame.count {
            let hit: UInt8 = frame[i] >= level ? 1 : 0
            flags[i] = hit
            count += Int(hit)
        }
        return count
    }

    /// `mask_valid` on the output grid: 1 where the pixel is on the frame, has no static CXI bit and is not
    /// saturated (`saturated` non-zero) in the exposures used.
    func validMask(_ saturated: [UInt8]) -> [UInt8] {
        let bits = scan.response.bits
        if window.isWholeFrame {
            return [UInt8](unsafeUninitializedCapacity: saturated.count) { out, initialized in
                bits.withUnsafeBufferPointer { bits in
                    saturated.withUnsafeBufferPointer { saturated in
                        for i in 0..<saturated.count { out[i] = bits[i] == 0 && saturated[i] == 0 ? 1 : 0 }
                    }
                }
                initialized = saturated.count
            }
        }
        return window.sources.map { s in s >= 0 && bits[s] == 0 && saturated[s] == 0 ? 1 : 0 }
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
