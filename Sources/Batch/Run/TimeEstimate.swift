import Core
import Foundation

/// `--dry-run`'s estimate of a run's wall time, from a few items produced (read and computed, nothing written) on
/// one rank, and the Slurm `--time` to ask for.
///
/// Item costs can be very uneven (a SAXS class can cost 100× another), so the sample is a few short batches spread
/// evenly over the index space rather than the first items. Writing is not timed: it is estimated from the output
/// size at a conservative ``writeBytesPerSecond``, since a dry run must not touch the file system.
public struct TimeEstimate: Sendable {
    /// Items produced for the estimate.
    public let sampled: Int
    /// Their mean seconds per item on one rank.
    public let secondsPerItem: Double
    /// The set-up (``Job/prepare(_:)``) as measured, seconds.
    public let setupSeconds: Double
    /// Compute seconds of the whole run: items × seconds per item / ranks.
    public let computeSeconds: Double
    /// Output bytes / ``writeBytesPerSecond``.
    public let writeSeconds: Double

    /// The write bandwidth assumed for the estimate: 200 MB/s, a shared parallel file system under load.
    public static let writeBytesPerSecond = 200e6
    /// The margin on the estimate in the suggested `--time`: uneven item costs, a busier node, slower storage.
    public static let margin = 1.5

    /// The estimated wall time of the run, seconds.
    public var seconds: Double { setupSeconds + computeSeconds + writeSeconds }

    /// Times a sample of `job`'s items with `seed` (at most `batches` batches of up to `batchSize` consecutive
    /// items, evenly spread; it stops early once `budget` seconds are spent, after at least one item).
    /// - Throws: what producing an item throws (a bad input the run would meet too).
    public static func measure<J: Job>(_ job: J, plan: Plan, seed: UInt64, timestamp: String, setupSeconds: Double,
                                       batchSize: Int, batches: Int = 4, budget: Double = 10,
                                       clock: () -> Double) throws -> TimeEstimate {
        let n = job.itemCount
        let size = max(1, min(batchSize, 8, n))
        let count = max(1, min(batches, n / size))
        var produced = 0
        var spent = 0.0
        for k in 0..<count {
            let start = min(n - size, k * n / count)
            let contexts = (start..<start + size).map { ItemContext(seed: seed, item: $0, timestamp: timestamp) }
            let t0 = clock()
            _ = try job.produce(batch: contexts)
            spent += clock() - t0
            produced += size
            if spent > budget { break }
        }
        let perItem = produced > 0 ? spent / Double(produced) : 0
        return TimeEstimate(sampled: produced, secondsPerItem: perItem, setupSeconds: setupSeconds,
                            computeSeconds: perItem * Double(n) / Double(max(1, plan.ranks)),
                            writeSeconds: Double(plan.outputBytes) / writeBytesPerSecond)
    }

    /// The Slurm time limit to ask for: the estimate × ``margin``, rounded up to whole minutes, at least 5 minutes,
    /// as `[D-]HH:MM:SS`.
    public var suggestedLimit: String { Self.slurmTime(max(300, (seconds * Self.margin / 60).rounded(.up) * 60)) }

    /// `seconds` as Slurm writes a time limit: `HH:MM:SS`, or `D-HH:MM:SS` from one day on.
    public static func slurmTime(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        let clock = String(format: "%02d:%02d:%02d", hours, minutes, secs)
        return days > 0 ? "\(days)-\(clock)" : clock
    }

    /// The lines `--dry-run` prints under the plan.
    public var description: String {
        let f = { (x: Double) in Progress.fixed(x, x < 10 ? 2 : 0) }
        return [
            "  timing           \(sampled) item\(sampled == 1 ? "" : "s") produced on one rank in \(f(secondsPerItem * Double(sampled))) s "
                + "(\(Progress.fixed(secondsPerItem * 1000, 2)) ms per item; nothing written)",
            "  estimate         set-up \(f(setupSeconds)) s + compute \(f(computeSeconds)) s + writing \(f(writeSeconds)) s "
                + "(at \(Int(Self.writeBytesPerSecond / 1e6)) MB/s) = about \(Progress.duration(seconds))",
            "  slurm            --time=\(suggestedLimit) (the estimate × \(Self.margin), at least 5 minutes)",
        ].joined(separator: "\n")
    }
}
