/// The per-pixel corrections of one detector, on the raw frame grid: the mean dark, the normalised flat and the
/// static CXI mask bits (given mask, hot pixels from the darks, dead pixels from the flat).
///
/// Correction of a raw frame follows ptypy's `get_corrected_intensities` (ptypy/experiment/hdf5_loader.py):
/// `c = raw − dark`, `c[raw < dark] = 0`, then `c / flat`. Unlike the original kit the flat is dark-subtracted and
/// normalised to mean 1 over the valid pixels, so counts keep their scale; a pixel with no valid flat reads 0.
public struct DetectorResponse: Sendable {
    public let rows: Int
    public let columns: Int
    /// Mean dark counts per pixel (0 without darks).
    public let dark: [Float]
    /// The normalised flat per pixel (1 without flats; 0 where the flat is dead).
    public let flat: [Float]
    /// CXI bits per pixel (``MaskBits``).
    public let bits: [Int32]
    /// Whether darks and flats were given.
    public let hasDark: Bool
    public let hasFlat: Bool

    /// Builds the response from the mean dark and flat frames (row-major, `rows` × `columns`; nil when not given)
    /// and a static mask (non-zero = bad).
    /// - Parameters:
    ///   - hotSigma: a pixel whose mean dark exceeds the median dark by more than this many robust standard
    ///     deviations (1.4826·MAD, at least 1 count) is hot.
    ///   - deadFraction: a pixel whose dark-subtracted flat is below this fraction of the median is dead.
    public init(rows: Int, columns: Int, darkMean: [Double]?, flatMean: [Double]?, staticMask: [Bool]?,
                hotSigma: Double, deadFraction: Double) {
        let n = rows * columns
        self.rows = rows
        self.columns = columns
        var bits = [Int32](repeating: 0, count: n)
        if let staticMask { for i in 0..<n where staticMask[i] { bits[i] |= MaskBits.invalid } }
        let dark = darkMean ?? [Double](repeating: 0, count: n)
        if darkMean != nil {
            let usable = (0..<n).filter { bits[$0] == 0 }.map { dark[$0] }
            let (median, mad) = Self.medianAndMAD(usable)
            let limit = median + hotSigma * max(1.4826 * mad, 1)
            for i in 0..<n where dark[i] > limit { bits[i] |= MaskBits.hot }
        }
        var flat = [Float](repeating: 1, count: n)
        if let flatMean {
            let corrected = (0..<n).map { max(flatMean[$0] - dark[$0], 0) }
            let (median, _) = Self.medianAndMAD((0..<n).filter { bits[$0] == 0 }.map { corrected[$0] })
            for i in 0..<n where !(corrected[i] > deadFraction * median) { bits[i] |= MaskBits.dead }
            // Normalised to mean 1 over the valid pixels (summed in pixel order: the same on every rank).
            var sum = 0.0, count = 0
            for i in 0..<n where bits[i] == 0 { sum += corrected[i]; count += 1 }
            let mean = count > 0 && sum > 0 ? sum / Double(count) : 1
            for i in 0..<n { flat[i] = bits[i] & MaskBits.dead != 0 ? 0 : Float(corrected[i] / mean) }
        }
        self.dark = dark.map { Float($0) }
        self.flat = flat
        self.bits = bits
        hasDark = darkMean != nil
        hasFlat = flatMean != nil
    }

    /// Corrects one raw frame in place: dark subtracted (0 where raw < dark), divided by the flat.
    func correct(_ frame: inout ArraySlice<Float>) {
        frame.withUnsafeMutableBufferPointer { correct($0) }
    }

    /// ``correct(_:)`` on a buffer of one frame.
    func correct(_ frame: UnsafeMutableBufferPointer<Float>) {
        correct(UnsafeBufferPointer(frame), into: frame)
    }

    /// Corrects one raw frame `raw` into `corrected` (the same frame, or another of its size): one plain loop over
    /// the pixels, which the compiler vectorises.
    func correct(_ raw: UnsafeBufferPointer<Float>, into corrected: UnsafeMutableBufferPointer<Float>) {
        dark.withUnsafeBufferPointer { dark in
            flat.withUnsafeBufferPointer { flat in
                for i in 0..<raw.count {
                    let r = raw[i], d = dark[i], f = flat[i]
                    corrected[i] = r < d || f <= 0 ? 0 : (r - d) / f
                }
            }
        }
    }

    /// The median and the median absolute deviation of `values` (0, 0 when empty).
    static func medianAndMAD(_ values: [Double]) -> (median: Double, mad: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let median = Self.median(values)
        return (median, Self.median(values.map { abs($0 - median) }))
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}
