/// Count, mean, sum of squared deviations (M2), minimum and maximum of a stream of values.
///
/// Values are added one at a time with Welford's update and partial results are merged with the pairwise
/// formula of Chan, Golub & LeVeque (Stanford CS-TR-79-773): δ = mean_b − mean_a, n = n_a + n_b,
/// mean = mean_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n. This avoids the cancellation of the
/// sum-of-squares formula. NaN values are skipped (they pad rows of unequal length).
public struct RunningStatistics: Sendable, Equatable {
    /// The number of values added (NaN not counted).
    public private(set) var count: Int = 0
    /// The mean of the values (0 when empty).
    public private(set) var mean: Double = 0
    /// The sum of squared deviations from the mean (M2).
    public private(set) var m2: Double = 0
    /// The smallest value (+∞ when empty).
    public private(set) var minimum: Double = .infinity
    /// The largest value (−∞ when empty).
    public private(set) var maximum: Double = -.infinity

    /// An empty summary.
    public init() {}

    /// A summary built from its parts (as exchanged between ranks).
    public init(count: Int, mean: Double, m2: Double, minimum: Double, maximum: Double) {
        self.count = count
        self.mean = mean
        self.m2 = m2
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Adds one value (Welford). NaN is ignored.
    public mutating func add(_ value: Double) {
        guard !value.isNaN else { return }
        let n = Double(count + 1)
        let delta = value - mean
        mean += delta / n
        m2 += delta * (value - mean)
        count += 1
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
    }

    /// Merges another partial result into this one (Chan–Golub–LeVeque).
    public mutating func merge(_ other: RunningStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let na = Double(count), nb = Double(other.count)
        let n = na + nb
        let delta = other.mean - mean
        mean += delta * nb / n
        m2 += other.m2 + delta * delta * na * nb / n
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The population variance M2/n (NaN when empty).
    public var variance: Double { count > 0 ? m2 / Double(count) : .nan }

    /// The population standard deviation.
    public var standardDeviation: Double { variance.squareRoot() }

    /// The summary as five numbers, `[count, mean, m2, minimum, maximum]`, for exchange between ranks and storage.
    public var packed: [Double] { [Double(count), mean, m2, minimum, maximum] }

    /// A summary from its ``packed`` form (five numbers from `p.startIndex`).
    public init(packed p: ArraySlice<Double>) {
        let i = p.startIndex
        self.init(count: Int(p[i]), mean: p[i + 1], m2: p[i + 2], minimum: p[i + 3], maximum: p[i + 4])
    }
}
