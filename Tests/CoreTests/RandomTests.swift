import Core
import Foundation
import Testing

@Suite struct PhiloxTests {
    // Known-answer vectors of Random123 (kat_vectors), also in numpy's Philox tests.
    @Test("Philox4x32-10 matches the published known-answer vectors")
    func knownAnswers() {
        let zero = Philox4x32.block(counter: (0, 0, 0, 0), key: (0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Philox4x32.block(counter: (.max, .max, .max, .max), key: (.max, .max))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Philox4x32.block(counter: (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344),
                                  key: (0xa409_3822, 0x299f_31d0))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }
}

@Suite struct RandomStreamTests {
    @Test("a stream depends only on (seed, item, stream)")
    func deterministic() {
        var a = RandomStream(seed: 42, item: 1000, stream: 3)
        var b = RandomStream(seed: 42, item: 1000, stream: 3)
        var c = RandomStream(seed: 42, item: 1001, stream: 3)
        var d = RandomStream(seed: 42, item: 1000, stream: 4)
        let xs = (0..<10).map { _ in a.nextUInt32() }
        #expect(xs == (0..<10).map { _ in b.nextUInt32() })
        #expect(xs != (0..<10).map { _ in c.nextUInt32() })
        #expect(xs != (0..<10).map { _ in d.nextUInt32() })
    }

    @Test("uniform doubles lie in [0, 1) with mean 1/2 and variance 1/12")
    func uniform() {
        var r = RandomStream(seed: 1, item: 0, stream: 0)
        let n = 200_000
        let xs = (0..<n).map { _ in r.uniform() }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        // Standard error of the mean is 0.29/sqrt(n) = 6.5e-4; allow 5 of them.
        #expect(abs(mean - 0.5) < 3.3e-3)
        #expect(abs(variance - 1.0 / 12) < 2e-3)
    }

    @Test("normal variates have mean 0 and variance 1")
    func normal() {
        var r = RandomStream(seed: 2, item: 0, stream: 0)
        let n = 200_000
        let xs = (0..<n).map { _ in r.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.012)  // 5 standard errors
        #expect(abs(variance - 1) < 0.016)  // 5 standard errors of the variance, sqrt(2/n)
    }

    @Test("Poisson variates have mean and variance lambda, in both regimes", arguments: [0.3, 3.0, 9.99, 10.0, 45.0, 2500.0])
    func poisson(lambda: Double) {
        var r = RandomStream(seed: 3, item: Int(lambda * 100), stream: 1)
        let n = 100_000
        let ks = (0..<n).map { _ in Double(r.poisson(lambda)) }
        let mean = ks.reduce(0, +) / Double(n)
        let variance = ks.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(ks.allSatisfy { $0 >= 0 })
        #expect(abs(mean - lambda) < 5 * (lambda / Double(n)).squareRoot())
        // Var of the sample variance ~ (2 lambda^2 + lambda) / n for a Poisson law.
        #expect(abs(variance - lambda) < 5 * ((2 * lambda * lambda + lambda) / Double(n)).squareRoot())
    }

    @Test("Poisson counts as doubles: the exact sampler below 2^53, the normal limit above, never a trap")
    func poissonCounts() {
        var a = RandomStream(seed: 6, item: 0, stream: 1)
        var b = RandomStream(seed: 6, item: 0, stream: 1)
        for lambda in [0.0, 0.5, 12.0, 3e7, 1e15] {
            #expect(a.count(poissonMean: lambda) == Double(b.poisson(lambda)))
        }
        for lambda in [0x1p53, 1e18] {
            // Standardised deviations (k - λ)/√λ average to 0 within 5 standard errors of n draws.
            let n = 10_000
            var sum = 0.0
            for _ in 0..<n {
                let k = a.count(poissonMean: lambda)
                #expect(k.isFinite && k >= 0)
                sum += (k - lambda) / lambda.squareRoot()
            }
            #expect(abs(sum / Double(n)) < 5 / Double(n).squareRoot())
        }
        for lambda in [1e40, 1e300] {
            let k = a.count(poissonMean: lambda)
            #expect(k.isFinite && abs(k / lambda - 1) < 1e-9)
        }
        #expect(a.count(poissonMean: .infinity) == .infinity)
    }

    @Test("integers are uniform over the range")
    func integers() {
        var r = RandomStream(seed: 4, item: 0, stream: 0)
        var counts = [Int](repeating: 0, count: 9)
        for _ in 0..<90_000 { counts[r.integer(in: 0..<9)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test("uuids have the version-4 layout")
    func uuid() {
        var r = RandomStream(seed: 5, item: 0, stream: 2)
        let u = r.uuid()
        #expect(u.count == 36)
        let parts = u.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
    }
}
