import Core
import Testing

@Suite struct RunningStatisticsTests {
    static func twoPass(_ xs: [Double]) -> (mean: Double, variance: Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        return (mean, xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count))
    }

    @Test("Welford agrees with the two-pass formula")
    func welford() {
        var r = RandomStream(seed: 9, item: 0, stream: 0)
        let xs = (0..<10_000).map { _ in r.normal() * 3 + 7 }
        var s = RunningStatistics()
        xs.forEach { s.add($0) }
        let (mean, variance) = Self.twoPass(xs)
        #expect(s.count == xs.count)
        #expect(abs(s.mean - mean) < 1e-12 * abs(mean))
        #expect(abs(s.variance - variance) < 1e-10 * variance)
        #expect(s.minimum == xs.min() && s.maximum == xs.max())
    }

    @Test("merging partial results (Chan) equals one pass over everything", arguments: [1, 2, 3, 7, 64])
    func chanMerge(parts: Int) {
        var r = RandomStream(seed: 10, item: parts, stream: 0)
        let xs = (0..<5_000).map { _ in r.uniform() * 100 - 20 }
        var whole = RunningStatistics()
        xs.forEach { whole.add($0) }
        var merged = RunningStatistics()
        for part in 0..<parts {
            var partial = RunningStatistics()
            for x in xs[Partition.block(count: xs.count, parts: parts, part: part)] { partial.add(x) }
            merged.merge(partial)
        }
        #expect(merged.count == whole.count)
        #expect(abs(merged.mean - whole.mean) < 1e-12 * abs(whole.mean))
        #expect(abs(merged.m2 - whole.m2) < 1e-10 * whole.m2)
        #expect(merged.minimum == whole.minimum && merged.maximum == whole.maximum)
    }

    @Test("a large offset does not destroy the variance (no sum-of-squares cancellation)")
    func largeOffset() {
        var a = RunningStatistics()
        var b = RunningStatistics()
        for i in 0..<1000 { a.add(1e9 + Double(i % 10)) }
        for i in 0..<1000 { b.add(1e9 + Double((i + 3) % 10)) }
        a.merge(b)
        #expect(abs(a.variance - 8.25) < 1e-6)  // variance of 0...9 is 8.25
    }

    @Test("NaN values are skipped")
    func skipsNaN() {
        var s = RunningStatistics()
        [1.0, .nan, 3.0].forEach { s.add($0) }
        #expect(s.count == 2 && s.mean == 2)
    }
}
