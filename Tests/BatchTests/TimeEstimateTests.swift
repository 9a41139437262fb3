import Batch
import Testing

/// `--dry-run`'s timing: which items it samples, the arithmetic of the estimate and the Slurm format.
@Suite struct TimeEstimateTests {
    /// Item i costs `cost(i)` seconds on a fake clock that advances only when items are produced.
    final class FakeClock: @unchecked Sendable {
        var now = 0.0
        var seen: [Int] = []
    }

    struct TimedJob: Job {
        let name = "timed"
        let itemCount: Int
        let clock: FakeClock
        let cost: @Sendable (Int) -> Double
        let outputs = [OutputSpec("x", type: .float64, itemShape: [1000])]
        let metadataColumns: [String] = []
        func produce(item: Int, context: ItemContext) throws -> ItemOutput {
            clock.now += cost(item)
            clock.seen.append(item)
            return ItemOutput(values: ["x": .float64([Double](repeating: 0, count: 1000))], metadata: [])
        }
    }

    @Test func samplesSpreadBatchesAndEstimatesComputeAndWriting() throws {
        let clock = FakeClock()
        // The first half is ten times cheaper than the second: a sample of the first items would mislead.
        let job = TimedJob(itemCount: 1000, clock: clock, cost: { $0 < 500 ? 0.001 : 0.01 })
        let plan = Plan(job: job, ranks: 4, options: RunOptions(outputDirectory: "/nonexistent", seed: 1, batchSize: 16,
                                                               version: "test", timestamp: "t"))
        let estimate = try TimeEstimate.measure(job, plan: plan, seed: 1, timestamp: "t", setupSeconds: 2,
                                                batchSize: 16, clock: { clock.now })
        #expect(clock.seen == Array(0..<8) + Array(250..<258) + Array(500..<508) + Array(750..<758))
        #expect(estimate.sampled == 32)
        #expect(abs(estimate.secondsPerItem - 0.0055) < 1e-12)
        #expect(abs(estimate.computeSeconds - 0.0055 * 1000 / 4) < 1e-9)
        #expect(abs(estimate.writeSeconds - Double(plan.outputBytes) / 200e6) < 1e-12)
        #expect(abs(estimate.seconds - (2 + estimate.computeSeconds + estimate.writeSeconds)) < 1e-12)
        #expect(estimate.suggestedLimit == "00:05:00")  // about 3.4 s × 1.5, raised to the 5-minute floor
    }

    @Test func stopsOnceTheBudgetIsSpent() throws {
        let clock = FakeClock()
        let job = TimedJob(itemCount: 100, clock: clock, cost: { _ in 3 })
        let plan = Plan(job: job, ranks: 1, options: RunOptions(outputDirectory: "/nonexistent", seed: 1, batchSize: 1,
                                                               version: "test", timestamp: "t"))
        let estimate = try TimeEstimate.measure(job, plan: plan, seed: 1, timestamp: "t", setupSeconds: 0,
                                                batchSize: 1, budget: 5, clock: { clock.now })
        #expect(estimate.sampled == 2 && clock.seen == [0, 25])
        #expect(estimate.suggestedLimit == TimeEstimate.slurmTime(((300.0 + estimate.writeSeconds) * 1.5 / 60).rounded(.up) * 60))
    }

    @Test func slurmTimeFormat() {
        #expect(TimeEstimate.slurmTime(59) == "00:00:59")
        #expect(TimeEstimate.slurmTime(3600 * 5 + 61) == "05:01:01")
        #expect(TimeEstimate.slurmTime(86_400 * 2 + 3661) == "2-01:01:01")
        #expect(TimeEstimate.slurmTime(0.2) == "00:00:01")
    }
}
