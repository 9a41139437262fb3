import Foundation

/// The value ranges a colour map spans by default.
public enum ColorRange {
    /// From the 0.5th to the 99.8th percentile of the finite unmasked values (positive ones on a log scale), so
    /// that a few hot or dead pixels do not wash out the picture; a constant image gets a unit range around it.
    public static func robust(_ values: [Float], mask: [UInt8]? = nil, scale: ScaleKind) -> ClosedRange<Double> {
        // A sample of at most ~200,000 values is enough for the percentiles of a detector frame.
        let step = max(1, values.count / 200_000)
        var sample: [Float] = []
        sample.reserveCapacity(values.count / step + 1)
        for i in stride(from: 0, to: values.count, by: step) {
            let v = values[i]
            guard v.isFinite, scale != .log || v > 0, mask.map({ $0[i] == 0 }) ?? true else { continue }
            sample.append(v)
        }
        guard !sample.isEmpty else { return scale == .log ? 1...10 : 0...1 }
        sample.sort()
        var low = Double(sample[Int(Double(sample.count - 1) * 0.005)])
        var high = Double(sample[Int(Double(sample.count - 1) * 0.998)])
        if high <= low {
            (low, high) = scale == .log ? (low / 2, low * 2) : (low - 0.5, low + 0.5)
        }
        return low...high
    }
}
