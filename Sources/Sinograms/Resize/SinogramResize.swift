import Foundation

/// Anti-aliased downsampling of sinograms (angles × columns) to a fixed size, scikit-image's `resize` with
/// `anti_aliasing=True` and `order=1`, then clipped to the input's range as scikit-image does.
public struct SinogramResize: Sendable {
    public let angles: ResizeAxis
    public let columns: ResizeAxis

    public init(from input: (angles: Int, columns: Int), to output: (angles: Int, columns: Int)) {
        angles = ResizeAxis(input: input.angles, output: output.angles)
        columns = ResizeAxis(input: input.columns, output: output.columns)
    }

    /// Elements of one output sinogram.
    public var outputCount: Int { angles.output * columns.output }

    /// Angle k's columns of a sinogram: calls `body` with them (`line(k) { columns in … }`).
    public typealias Line = (_ angle: Int, _ body: (_ columns: Span<Float>) -> Void) -> Void

    /// Resizes the sinogram whose angle k has the columns `line(k)` (columns.input floats, asked for once each, in
    /// ascending k) into `result` (angles.output × columns.output): angles first (weighted sums of whole input
    /// lines, in float32 as scikit-image computes float32 data), then columns (one short dot product per output
    /// pixel). `scratch` holds at least angles.output × columns.input floats.
    public func apply(lines line: Line, into result: inout MutableSpan<Float>, scratch: inout MutableSpan<Float>) {
        precondition(result.count == outputCount && scratch.count >= angles.output * columns.input,
                     "resize buffers of the wrong size")
        result.withUnsafeMutableBufferPointer { result in
            scratch.withUnsafeMutableBufferPointer { scratch in resize(lines: line, into: result, scratch: scratch) }
        }
    }

    /// ``apply(lines:into:scratch:)`` on the buffers' memory.
    private func resize(lines line: Line, into result: UnsafeMutableBufferPointer<Float>,
                        scratch: UnsafeMutableBufferPointer<Float>) {
        let nIn = columns.input, nOut = columns.output
        // Angles, input line by input line: each line is read once (its extrema too, for the clipping) and added to
        // the output lines it feeds. Every output line still receives its inputs in ascending order, as a dot
        // product over its span would.
        var (low, high) = (Float.infinity, -Float.infinity)
        for i in 0..<angles.output * nIn { scratch[i] = 0 }
        for k in 0..<angles.input {
            line(k) { values in
                precondition(values.count == nIn, "a sinogram line of the wrong size")
                values.withUnsafeBufferPointer { values in
                    let line = values.baseAddress!
                    let (l, h) = Self.extrema(line, count: nIn)
                    low = min(low, l)
                    high = max(high, h)
                    for r in angles.feedStart[k]..<angles.feedStart[k + 1] {
                        let out = scratch.baseAddress! + angles.feeds[r] * nIn, weight = angles.feedWeights[r]
                        for i in 0..<nIn { out[i] += weight * line[i] }
                    }
                }
            }
        }
        // Eight output columns at a time, as a dense block: each sums its span in order, as one dot product would
        // (the block's other inputs add exact zeros).
        let B = columns.blockWidth
        columns.blockWeights.withUnsafeBufferPointer { w in
            for o in 0..<angles.output {
                let line = scratch.baseAddress! + o * nIn
                let out = result.baseAddress! + o * nOut
                for (b, start) in columns.blockStarts.enumerated() {
                    let input = line + start, weights = w.baseAddress! + b * B
                    var sum = SIMD8<Float>.zero
                    for i in 0..<B { sum += weights[i] * SIMD8(repeating: input[i]) }
                    let c0 = 8 * b
                    if c0 + 8 <= nOut {
                        UnsafeMutableRawPointer(out + c0).storeBytes(of: sum, as: SIMD8<Float>.self)
                    } else {
                        for l in 0..<nOut - c0 { out[c0 + l] = sum[l] }
                    }
                }
                for c in 0..<nOut { out[c] = min(high, max(low, out[c])) }
            }
        }
    }

    /// The smallest and largest of `count` floats, eight lanes at a time.
    static func extrema(_ values: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var low = SIMD8<Float>(repeating: .infinity), high = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self)
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            i += 8
        }
        var (l, h) = (low.min(), high.max())
        while i < count {
            l = min(l, values[i])
            h = max(h, values[i])
            i += 1
        }
        return (l, h)
    }
}
