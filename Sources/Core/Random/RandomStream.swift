import Foundation

/// An independent random stream for one item, keyed by (run seed, item index, stream id).
///
/// Every draw comes from Philox4x32-10 with key = seed and counter = (block, stream, item low, item high), so
/// an item's numbers are the same whichever rank computes it and whether or not the run was resumed. Use a
/// different `stream` id for each independent purpose within an item (parameters, noise, ...).
///
/// Distributions are implemented here, not taken from the standard library, so that results stay bit-identical
/// across toolchain versions.
public struct RandomStream: Sendable {
    private let key: Philox4x32.Key
    private let stream: UInt32
    private let item: UInt64
    private var block: UInt32 = 0
    private var buffer: Philox4x32.Counter = (0, 0, 0, 0)
    private var used = 4
    private var spareNormal: Double? = nil

    /// The name recorded in provenance.
    public static let generatorName = "philox4x32-10"

    /// Stream `stream` of item `item` in a run seeded with `seed`, positioned at its first draw.
    public init(seed: UInt64, item: Int, stream: UInt32) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        self.item = UInt64(item)
        self.stream = stream
    }

    /// The next 32 random bits.
    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            buffer = Philox4x32.block(
                counter: (block, stream, UInt32(truncatingIfNeeded: item), UInt32(truncatingIfNeeded: item >> 32)),
                key: key)
            block &+= 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.0
        case 1: return buffer.1
        case 2: return buffer.2
        default: return buffer.3
        }
    }

    /// The next 64 random bits.
    public mutating func nextUInt64() -> UInt64 {
        let hi = UInt64(nextUInt32())
        return hi << 32 | UInt64(nextUInt32())
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `range`.
    public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A double whose logarithm is uniform in log(`range`) (both bounds positive).
    public mutating func logUniform(in range: ClosedRange<Double>) -> Double {
        exp(uniform(in: log(range.lowerBound)...log(range.upperBound)))
    }

    /// A uniform integer in `range`, without modulo bias (Lemire's multiply-and-reject method).
    public mutating func integer(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "integer(in:) needs a non-empty range")
        let span = UInt64(range.count)
        var product = nextUInt64().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold { product = nextUInt64().multipliedFullWidth(by: span) }
        }
        return range.lowerBound + Int(product.high)
    }

    /// A standard normal variate (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1.0 - uniform()  // (0, 1]: log stays finite
        let u2 = uniform()
        let radius = (-2.0 * log(u1)).squareRoot()
        spareNormal = radius * sin(2.0 * Double.pi * u2)
        return radius * cos(2.0 * Double.pi * u2)
    }

    /// A Poisson variate with mean `lambda`.
    ///
    /// Multiplication of uniforms below λ = 10; above, the transformed rejection method PTRS of Hörmann
    /// ("The transformed rejection method for generating Poisson random variables", Insurance: Mathematics and
    /// Economics 12, 1993), as numpy uses.
    public mutating func poisson(_ lambda: Double) -> Int {
        precondition(lambda >= 0 && lambda.isFinite, "poisson needs a finite, non-negative mean")
        if lambda == 0 { return 0 }
        if lambda < 10 {
            let limit = exp(-lambda)
            var product = 1.0
            var count = 0
            while true {
                product *= uniform()
                if product <= limit { return count }
                count += 1
            }
        }
        let slam = lambda.squareRoot()
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * log(lambda) - lgamma(k + 1) {
                return Int(k)
            }
        }
    }

    /// The mean above which ``count(poissonMean:)`` takes the normal limit: 2⁵³, beyond which not every count is a
    /// double, so the exact sampler's result could not be represented anyway (and its `Int` would overflow near 2⁶³).
    public static let poissonNormalLimit = 0x1p53

    /// A Poisson count with mean `lambda` as a double: ``poisson(_:)`` below ``poissonNormalLimit``; above it the
    /// normal limit N(λ, λ), rounded and floored at 0 (its relative error, O(1/√λ) ≈ 1e-8, is below the count's own
    /// noise). A non-finite mean is returned as it is: the caller's bounds keep means finite.
    public mutating func count(poissonMean lambda: Double) -> Double {
        guard lambda.isFinite else { return lambda }
        if lambda < Self.poissonNormalLimit { return Double(poisson(lambda)) }
        return max(0, (lambda + lambda.squareRoot() * normal()).rounded())
    }

    /// A random (version 4 layout) UUID string; deterministic for the stream.
    public mutating func uuid() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in stride(from: 0, to: 16, by: 4) {
            let word = nextUInt32()
            for j in 0..<4 { bytes[i + j] = UInt8(truncatingIfNeeded: word >> (24 - 8 * j)) }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
