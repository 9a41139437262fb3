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
    /// The same weights by input sample (CSR): input i feeds outputs `feeds[r]` with `feedWeights[r]` for r in
    /// `feedStart[i]..<feedStart[i + 1]`, outputs ascending, zero weights left out.
    let feedStart: [Int]
    let feeds: [Int]
    let feedWeights: [Float]
    /// The same weights as dense blocks of eight consecutive output samples: block b reads `blockWidth` inputs
    /// from `blockStarts[b]` on, input i with the eight weights `blockWeights[b·blockWidth + i]` (zero outside
    /// each sample's span, and for lanes past the last output), so that eight outputs are summed at once.
    let blockStarts: [Int]
    let blockWidth: Int
    let blockWeights: [SIMD8<Float>]

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
        var byInput = [[(output: Int, weight: Float)]](repeating: [], count: input)
        for o in 0..<output {
            for k in 0..<width where weights[o * width + k] != 0 {
                byInput[starts[o] + k].append((o, Float(weights[o * width + k])))
            }
        }
        feedStart = byInput.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        feeds = byInput.flatMap { $0.map(\.output) }
        feedWeights = byInput.flatMap { $0.map(\.weight) }
        let blocks = stride(from: 0, to: output, by: 8).map { $0..<min(output, $0 + 8) }
        let blockWidth = min(input, blocks.map { starts[$0.last!] + width - starts[$0.first!] }.max() ?? 1)
        blockStarts = blocks.map { min(starts[$0.first!], input - blockWidth) }
        var blockWeights = [SIMD8<Float>](repeating: .zero, count: blocks.count * blockWidth)
        for (b, block) in blocks.enumerated() {
            for o in block {
                for k in 0..<width where weights[o * width + k] != 0 {
                    blockWeights[b * blockWidth + starts[o] + k - blockStarts[b]][o - block.lowerBound]
                        = Float(weights[o * width + k])
                }
            }
        }
        self.blockWidth = blockWidth
        self.blockWeights = blockWeights
    }
}
