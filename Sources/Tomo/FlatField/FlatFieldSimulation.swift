import Core
import Foundation
import Sinograms

/// Complex mode: the analytic projection measured through a simulated beam and detector, flat-field corrected.
///
/// One measurement of the sample (Poisson photon noise and Gaussian electronic noise, independent in every pixel
/// of every projection) is normalised by the mean of independently noisy flats: that is "clean", noisy but free of
/// detector defects. Shift k sees the same measurement through a detector whose defect maps are rolled by
/// off_k = (k − ⌊K/2⌋)·step rows (emulating a vertical move of the sample; NoStripesNet rolls the beam profile
/// and flats too, which only moves where the noise is larger and divides out in the normalisation): the defect
/// pixels get NoStripesNet's extra counts, −map₀ + s(θ)·map₁ + e(θ)·map₂ times miscalibration·I0, with s and e
/// its sinusoidal and exponential responses redrawn per shift. A shift therefore differs from clean exactly at its
/// defect pixels, as a stripe-removal network's input and target should.
///
/// Deliberate departures from NoStripesNet (docs/reference/tomography.md §5.2): its `noise()` reseeds numpy on every
/// call (identical noise in all projections and flats) and its flats carry the projection's own noise; here every
/// projection, flat and response has its own counter-based stream keyed by (sample, shift, index), and the data
/// stay in floating point until the TIFF files (no uint16 round trip before normalisation). Photon noise is the
/// Poisson distribution of the expected counts (TomoPhantom's `noise()` applies its model to the intensity as if it
/// were a line integral).
public struct FlatFieldSimulation {
    public let geometry: TomoGeometry
    public let settings: FlatFieldSettings
    /// Vertical offsets of the defect maps, one per shift.
    public let offsets: [Int]

    public init(geometry: TomoGeometry, settings: FlatFieldSettings, shifts: Int, shiftStep: Int) {
        self.geometry = geometry
        self.settings = settings
        offsets = Self.offsets(shifts: shifts, step: shiftStep)
    }

    /// The vertical offsets of `shifts` positions `step` rows apart, centred: −⌊K/2⌋·step, ….
    public static func offsets(shifts: Int, step: Int) -> [Int] { (0..<shifts).map { ($0 - shifts / 2) * step } }

    /// What one sample gives.
    public struct Result {
        /// Clean, rescaled to [0, max(projection)] (V·A·H values).
        public var clean: [Float]
        /// Each shift (K·V·A·H values) on the same scale as clean.
        public var shifts: [Float]
        /// The range of the flat-field corrected clean data before rescaling.
        public var cleanRange: ClosedRange<Double>
        /// The fraction of detector pixels with a defect.
        public var defectFraction: Double
    }

    /// Simulates one sample from its analytic projection (`[row, angle, column]`).
    public func run(projection: [Float], seed: UInt64, sample: Int) -> Result {
        let g = geometry, s = settings
        let rows = g.rows, angles = g.angleCount, columns = g.columns, pixels = rows * columns
        let detector = DetectorModel(rows: rows, columns: columns, settings: s, seed: seed, sample: sample)
        let peak = Double(projection.max() ?? 0)
        let attenuationScale = peak > 0 ? 1 / peak : 0

        // Mean flat: the average of independently noisy open-beam images; ≤ 0 becomes 1 (ToMoBAR's guard).
        var flat = [Double](repeating: 0, count: pixels)
        for f in 0..<s.flats {
            var random = RandomStream(seed: seed, sample: sample, .flat, index: f)
            for p in 0..<pixels { flat[p] += detectorCounts(s.sourceIntensity * detector.beam[p], &random) }
        }
        flat = flat.map { $0 / Double(s.flats) > 0 ? $0 / Double(s.flats) : 1 }

        // Defect pixels (the union over shifts of the rolled maps) and their extra counts per unit response.
        let strength = s.miscalibration * s.sourceIntensity
        let rolled: [[(pixel: Int, offset: Double, sine: Double, exponential: Double)]] = offsets.map { off in
            var list: [(Int, Double, Double, Double)] = []
            for y in 0..<rows {
                let source = ((y - off) % rows + rows) % rows
                for x in 0..<columns {
                    let q = source * columns + x
                    let m0 = detector.defects[0][q], m1 = detector.defects[1][q], m2 = detector.defects[2][q]
                    if m0 != 0 || m1 != 0 || m2 != 0 {
                        list.append((y * columns + x, -m0 * strength, m1 * strength, m2 * strength))
                    }
                }
            }
            return list
        }
        let responses = offsets.indices.map { responseCurves(seed: seed, sample: sample, shift: $0) }

        // Measure every projection once; clean everywhere, the shifts' defect pixels from the same counts.
        var clean = [Float](repeating: 0, count: g.volumeCount)
        var defectValues: [[Float]] = rolled.map { [Float](repeating: 0, count: $0.count * angles) }
        var counts = [Double](repeating: 0, count: pixels)
        let openBeam = detector.beam.map { s.sourceIntensity * $0 }
        for a in 0..<angles {
            var random = RandomStream(seed: seed, sample: sample, .measurement, index: a)
            projection.withUnsafeBufferPointer { p in
                clean.withUnsafeMutableBufferPointer { out in
                    openBeam.withUnsafeBufferPointer { beam in
                        flat.withUnsafeBufferPointer { flat in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for y in 0..<rows {
                                    let base = (y * angles + a) * columns
                                    for x in 0..<columns {
                                        let q = y * columns + x
                                        let expected = beam[q] * exp(-Double(p[base + x]) * attenuationScale)
                                        let c = detectorCounts(expected, &random)
                                        counts[q] = c
                                        out[base + x] = Float(Self.minusLog(c, flat: flat[q]))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (k, list) in rolled.enumerated() {
                let sine = responses[k].sine[a], exponential = responses[k].exponential[a]
                for (i, d) in list.enumerated() {
                    let extra = d.offset + sine * d.sine + exponential * d.exponential
                    defectValues[k][i * angles + a] = Float(Self.minusLog(counts[d.pixel] + extra, flat: flat[d.pixel]))
                }
            }
        }

        // Rescale clean to [0, peak] over the whole sample; the shifts take the same map.
        var low = Double.infinity, high = -Double.infinity
        for v in clean {
            low = min(low, Double(v))
            high = max(high, Double(v))
        }
        let scale = high > low ? (peak > 0 ? peak : 1) / (high - low) : 1
        let shift = high > low ? low : 0
        func rescaled(_ v: Float) -> Float { Float((Double(v) - shift) * scale) }
        var shifts = [Float](repeating: 0, count: offsets.count * g.volumeCount)
        clean.withUnsafeMutableBufferPointer { c in
            for i in c.indices { c[i] = rescaled(c[i]) }
        }
        shifts.withUnsafeMutableBufferPointer { out in
            for k in offsets.indices {
                let start = k * g.volumeCount
                _ = UnsafeMutableBufferPointer(rebasing: out[start..<start + g.volumeCount]).update(fromContentsOf: clean)
                for (i, d) in rolled[k].enumerated() {
                    let y = d.pixel / columns, x = d.pixel % columns
                    for a in 0..<angles {
                        out[start + (y * angles + a) * columns + x] = rescaled(defectValues[k][i * angles + a])
                    }
                }
            }
        }
        let defective = detector.defects[0].indices.count {
            detector.defects[0][$0] != 0 || detector.defects[1][$0] != 0 || detector.defects[2][$0] != 0
        }
        return Result(clean: clean, shifts: shifts, cleanRange: low...max(low, high),
                      defectFraction: Double(defective) / Double(pixels))
    }

    /// ToMoBAR's `normaliser` with log for one pixel (no darks): a negative count becomes 1, −log(count/flat),
    /// negative results become 0. The logarithm is taken in single precision: its error (≤ 1 ulp of the ratio,
    /// ~6e-8) is that of the float32 result.
    static func minusLog(_ count: Double, flat: Double) -> Double {
        let ratio = Float((count < 0 ? 1 : count) / flat)
        guard ratio > 0 else { return 0 }
        return Double(max(0, -log(ratio)))
    }

    /// A detector reading: Poisson photon counts of the expected number plus Gaussian electronic noise.
    func detectorCounts(_ expected: Double, _ random: inout RandomStream) -> Double {
        random.count(poissonMean: max(0, expected)) + settings.electronicNoise * random.normal()
    }

    /// NoStripesNet's detector responses along the angles for one shift: sin(linspace(0, 1.5π, A)) and
    /// exp(linspace(0, π, A)), each plus 0.1·U(0, 1) per angle and divided by its maximum.
    func responseCurves(seed: UInt64, sample: Int, shift: Int) -> (sine: [Double], exponential: [Double]) {
        let n = geometry.angleCount
        var sine = [Double](repeating: 0, count: n), exponential = [Double](repeating: 0, count: n)
        for a in 0..<n {
            var random = RandomStream(seed: seed, sample: sample, .response, shift: shift, index: a)
            let t = a == n - 1 ? 1 : Double(a) / Double(n - 1)
            sine[a] = sin(1.5 * .pi * t) + 0.1 * random.uniform()
            exponential[a] = exp(.pi * t) + 0.1 * random.uniform()
        }
        let sineMax = sine.max() ?? 1, exponentialMax = exponential.max() ?? 1
        return (sine.map { $0 / sineMax }, exponential.map { $0 / exponentialMax })
    }
}
