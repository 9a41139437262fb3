import Foundation

/// scikit-image's `resize(image, shape, anti_aliasing=True)` (order 1) along one axis, as a sparse matrix:
/// a Gaussian prefilter with σ = max(0, (n/m − 1)/2), truncated at int(4σ + 0.5) taps each side, with mirror
/// boundaries (d c b | a b c d | c b a), followed by linear interpolation at the input coordinates
/// (o + ½)·n/m − ½ (SciPy `zoom` with `grid_mode=True`). Both steps are linear, so each output sample is one
/// short, contiguous dot product with the input: the filter is never evaluated where interpolation does not look.
public struct ResizeAxis: Sendable {
    public let input: Int
    public let output: Int
    /// The first input index of each output sample's span.
    let starts: [Int]
    /// Weights of each output sample's span, `width` per sample (zero-padded).
    let weights: [Double]
    let width: Int

    /// The Gaussian σ scikit-image uses for a reduction by `input / output`.
    public static func sigma(input: Int, output: Int) -> Double { max(0, (Double(input) / Double(output) - 1) / 2) }

    public init(input: Int, output: Int) {
        precondition(input > 0 && output > 0, "empty axis")
        self.input = input
        self.output = output
        let sigma = Self.sigma(input: input, output: output)
        // SciPy's _gaussian_kernel1d: exp(−x²/2σ²) normalised to sum 1, radius int(4σ + 0.5).
        let radius = sigma > 1e-15 ? Int(4 * sigma + 0.5) : 0
        var kernel = [Double](repeating: 1, count: 2 * radius + 1)
        if radius > 0 {
            for x in -radius...radius { kernel[x + radius] = exp(-0.5 / (sigma * sigma) * Double(x * x)) }
            let sum = kernel.reduce(0, +)
            kernel = kernel.map { $0 / sum }
        }
        /// The input index of position p under SciPy's 'mirror' boundary.
        func mirror(_ p: Int) -> Int {
            guard input > 1 else { return 0 }
            let period = 2 * (input - 1)
            var q = p % period
            if q < 0 { q += period }
            return q < input ? q : period - q
        }
        var spans: [[Int: Double]] = []
        let scale = Double(input) / Double(output)
        for o in 0..<output {
            var span: [Int: Double] = [:]
            let x = (Double(o) + 0.5) * scale - 0.5
            let left = Int(floor(x))
            let t = x - Double(left)
            for (position, share) in [(left, 1 - t), (left + 1, t)] where share != 0 {
                let centre = mirror(position)
                for k in -radius...radius {
                    span[mirror(centre + k), default: 0] += share * kernel[k + radius]
                }
            }
            spans.append(span)
        }
        // One span width for all samples; a span is moved left where it would run past the input's end.
        let width = spans.map { ($0.keys.max() ?? 0) - ($0.keys.min() ?? 0) + 1 }.max() ?? 1
        let starts = spans.map { min($0.keys.min() ?? 0, input - width) }
        var weights = [Double](repeating: 0, count: output * width)
        for (o, span) in spans.enumerated() {
            for (index, w) in span { weights[o * width + index - starts[o]] = w }
        }
        self.starts = starts
        self.weights = weights
        self.width = width
    }
}

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

    /// Resizes `sinogram` (angles.input × columns.input) into `result` (angles.output × columns.output): columns
    /// first (one dot product per input angle and output column), then angles (a weighted sum of rows).
    /// `scratch` holds at least angles.input × columns.output doubles.
    public func apply(_ sinogram: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>,
                      scratch: UnsafeMutableBufferPointer<Double>) {
        let nIn = columns.input, nOut = columns.output
        precondition(sinogram.count == angles.input * nIn && result.count == outputCount
                     && scratch.count >= angles.input * nOut, "resize buffers of the wrong size")
        var low = Float.infinity, high = -Float.infinity
        for v in sinogram {
            low = min(low, v)
            high = max(high, v)
        }
        columns.weights.withUnsafeBufferPointer { w in
            let width = columns.width
            for a in 0..<angles.input {
                let row = a * nIn
                for o in 0..<nOut {
                    let start = row + columns.starts[o], wo = o * width
                    var sum = 0.0
                    for k in 0..<width { sum += w[wo + k] * Double(sinogram[start + k]) }
                    scratch[a * nOut + o] = sum
                }
            }
        }
        angles.weights.withUnsafeBufferPointer { w in
            let width = angles.width
            var line = [Double](repeating: 0, count: nOut)
            for o in 0..<angles.output {
                for c in 0..<nOut { line[c] = 0 }
                let start = angles.starts[o]
                for k in 0..<width {
                    let weight = w[o * width + k]
                    if weight == 0 { continue }
                    let row = (start + k) * nOut
                    for c in 0..<nOut { line[c] += weight * scratch[row + c] }
                }
                for c in 0..<nOut { result[o * nOut + c] = min(high, max(low, Float(line[c]))) }
            }
        }
    }
}
