import CFFTW

/// Thin wrappers over FFTW3: the only place beamforge calls FFTW.
///
/// Plans are made with `FFTW_ESTIMATE`, which picks the algorithm from the sizes alone, so the same transform
/// gives the same bits on every run and every rank (`FFTW_MEASURE` times candidates and may choose differently).
/// Buffers come from `fftw_malloc` (SIMD-aligned) and live as long as their plan. The planner is not
/// thread-safe: make plans on one thread (each MPI rank is one).

/// A two-dimensional complex transform of a `rows × columns` array, in place, unnormalised:
/// X[k, l] = Σ x[m, n]·exp(∓2πi(km/rows + ln/columns)).
public final class ComplexFFT2D {
    public let rows: Int
    public let columns: Int
    @usableFromInline let data: UnsafeMutablePointer<fftw_complex>
    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan

    public init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "an FFT needs a positive size")
        self.rows = rows
        self.columns = columns
        data = fftw_alloc_complex(rows * columns)
        forwardPlan = fftw_plan_dft_2d(Int32(rows), Int32(columns), data, data, FFTW_FORWARD, FFTW_ESTIMATE)
        inversePlan = fftw_plan_dft_2d(Int32(rows), Int32(columns), data, data, FFTW_BACKWARD, FFTW_ESTIMATE)
    }

    deinit {
        fftw_destroy_plan(forwardPlan)
        fftw_destroy_plan(inversePlan)
        fftw_free(data)
    }

    /// Runs `body` with the array, row-major, as interleaved (real, imaginary) pairs: element (r, c) is at
    /// 2·(r·columns + c).
    @inlinable
    public func withValues<Result>(_ body: (_ values: inout MutableSpan<Double>) throws -> Result) rethrows -> Result {
        try UnsafeMutableRawPointer(data).withMemoryRebound(to: Double.self, capacity: 2 * rows * columns) {
            var values = UnsafeMutableBufferPointer(start: $0, count: 2 * rows * columns).mutableSpan
            return try body(&values)
        }
    }

    /// Transforms the array in place with exp(−2πi…).
    public func forward() { fftw_execute(forwardPlan) }

    /// Transforms the array in place with exp(+2πi…) (no 1/n).
    public func inverse() { fftw_execute(inversePlan) }
}

/// Many real one-dimensional transforms of the same length, done together: `count` signals of `length` samples
/// and their `length/2 + 1` complex coefficients (unnormalised, as FFTW defines them).
public final class RealFFTBatch {
    public let length: Int
    public let count: Int
    /// Complex coefficients per signal.
    public var spectrumLength: Int { length / 2 + 1 }
    @usableFromInline let signal: UnsafeMutablePointer<Double>
    @usableFromInline let spectrum: UnsafeMutablePointer<fftw_complex>
    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan

    public init(length: Int, count: Int) {
        precondition(length > 0 && count > 0, "an FFT needs a positive size")
        self.length = length
        self.count = count
        let bins = length / 2 + 1
        signal = fftw_alloc_real(length * count)
        spectrum = fftw_alloc_complex(bins * count)
        var n = Int32(length)
        forwardPlan = fftw_plan_many_dft_r2c(1, &n, Int32(count), signal, nil, 1, Int32(length),
                                             spectrum, nil, 1, Int32(bins), FFTW_ESTIMATE)
        // c2r overwrites its input: that is fine, the spectrum is scratch once inverted.
        inversePlan = fftw_plan_many_dft_c2r(1, &n, Int32(count), spectrum, nil, 1, Int32(bins),
                                             signal, nil, 1, Int32(length), FFTW_ESTIMATE)
    }

    deinit {
        fftw_destroy_plan(forwardPlan)
        fftw_destroy_plan(inversePlan)
        fftw_free(spectrum)
        fftw_free(signal)
    }

    /// Runs `body` with the signals, one after another (`count × length`).
    @inlinable
    public func withSignals<Result>(_ body: (_ signals: inout MutableSpan<Double>) throws -> Result) rethrows
        -> Result {
        var signals = UnsafeMutableBufferPointer(start: signal, count: length * count).mutableSpan
        return try body(&signals)
    }

    /// Runs `body` with the coefficients as interleaved (real, imaginary) pairs, one signal after another.
    @inlinable
    public func withCoefficients<Result>(_ body: (_ coefficients: inout MutableSpan<Double>) throws -> Result)
        rethrows -> Result {
        try UnsafeMutableRawPointer(spectrum).withMemoryRebound(to: Double.self,
                                                                capacity: 2 * spectrumLength * count) {
            var coefficients = UnsafeMutableBufferPointer(start: $0, count: 2 * spectrumLength * count).mutableSpan
            return try body(&coefficients)
        }
    }

    /// signals → coefficients.
    public func forward() { fftw_execute(forwardPlan) }

    /// coefficients → signals, scaled by `length` (FFTW's unnormalised inverse); the coefficients are destroyed.
    public func inverse() { fftw_execute(inversePlan) }
}
