import Core
import Foundation

extension RunningStatistics {
    /// Values per block of ``summary(of:transform:)``.
    static let summaryBlock = 4096

    /// The summary of one item's numbers: blocks of ``summaryBlock`` values are summarised two-pass (sum, then
    /// squared deviations from the block mean; NaN skipped) and merged in order. Same result as adding the values
    /// one by one, to rounding, at a fraction of the cost (no division per value). Nil for a string.
    static func summary(of values: Column, transform: StatisticsSpec.Transform) -> RunningStatistics? {
        switch values {
        case .float64(let v): v.withUnsafeBufferPointer { summary($0, transform) }
        case .float32(let v):
            v.withUnsafeBufferPointer { transform == .identity ? summary($0) : summary($0, transform) }
        case .int64(let v): v.withUnsafeBufferPointer { summary($0, transform) }
        case .int32(let v): v.withUnsafeBufferPointer { summary($0, transform) }
        case .uint16(let v): v.withUnsafeBufferPointer { summary($0, transform) }
        case .uint8(let v): v.withUnsafeBufferPointer { summary($0, transform) }
        case .strings: nil
        }
    }

    private static func summary<T: NumericElement>(_ values: UnsafeBufferPointer<T>,
                                                      _ transform: StatisticsSpec.Transform) -> RunningStatistics {
        var total = RunningStatistics()
        var block = [Double](repeating: 0, count: summaryBlock)
        var start = 0
        while start < values.count {
            let end = Swift.min(values.count, start + summaryBlock)
            // The block's values, transformed, without NaN.
            var n = 0
            for i in start..<end {
                var x = values[i].doubleValue
                if transform == .log10 { x = x > 0 ? log10(x) : .nan }
                if x.isNaN { continue }
                block[n] = x
                n += 1
            }
            if n > 0 {
                let (sum, low, high) = block.withUnsafeBufferPointer { b in
                    var sum = 0.0, low = b[0], high = b[0]
                    for i in 0..<n {
                        sum += b[i]
                        low = Swift.min(low, b[i])
                        high = Swift.max(high, b[i])
                    }
                    return (sum, low, high)
                }
                let mean = sum / Double(n)
                let m2 = block.withUnsafeBufferPointer { b in
                    var m2 = 0.0
                    for i in 0..<n { m2 += (b[i] - mean) * (b[i] - mean) }
                    return m2
                }
                total.merge(RunningStatistics(count: n, mean: mean, m2: m2, minimum: low, maximum: high))
            }
            start = end
        }
        return total
    }
}

extension RunningStatistics {
    /// ``summary(of:transform:)`` for float32 values without a transform (tomograms: 10⁸ values per item), eight
    /// lanes at a time in double precision; a block holding NaN takes the general path.
    private static func summary(_ values: UnsafeBufferPointer<Float>) -> RunningStatistics {
        var total = RunningStatistics()
        var start = 0
        while start < values.count {
            let end = Swift.min(values.count, start + summaryBlock)
            let n = end - start
            let wide = n / 8 * 8
            func lanes(_ i: Int) -> SIMD8<Double> {
                let p = values.baseAddress! + start + i
                return SIMD8(Double(p[0]), Double(p[1]), Double(p[2]), Double(p[3]),
                             Double(p[4]), Double(p[5]), Double(p[6]), Double(p[7]))
            }
            var sum8 = SIMD8<Double>(repeating: 0)
            var low8 = SIMD8<Double>(repeating: .infinity), high8 = SIMD8<Double>(repeating: -.infinity)
            for i in stride(from: 0, to: wide, by: 8) {
                let x = lanes(i)
                sum8 += x
                low8 = pointwiseMin(low8, x)
                high8 = pointwiseMax(high8, x)
            }
            var sum = sum8.sum(), low = low8.min(), high = high8.max()
            for i in wide..<n {
                let x = Double(values[start + i])
                sum += x
                low = Swift.min(low, x)
                high = Swift.max(high, x)
            }
            if sum.isNaN {
                // NaN somewhere (or infinities of both signs): the general path skips NaN value by value.
                total.merge(summary(UnsafeBufferPointer(rebasing: values[start..<end]), .identity))
            } else {
                let mean = sum / Double(n)
                var m2x8 = SIMD8<Double>(repeating: 0)
                for i in stride(from: 0, to: wide, by: 8) {
                    let d = lanes(i) - mean
                    m2x8 += d * d
                }
                var m2 = m2x8.sum()
                for i in wide..<n {
                    let d = Double(values[start + i]) - mean
                    m2 += d * d
                }
                total.merge(RunningStatistics(count: n, mean: mean, m2: m2, minimum: low, maximum: high))
            }
            start = end
        }
        return total
    }
}
