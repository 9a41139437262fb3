import Core
import Foundation
import MPI

/// Hands this rank the indices of its batches under a ``Schedule``, in increasing order: from a ``SharedCounter``
/// (dynamic schedules) or by rank (cyclic). Main thread only.
final class BatchDispenser {
    /// The number of batches in the run.
    let count: Int
    private let schedule: Schedule
    private let rank: Int
    private let ranks: Int
    private let counter: SharedCounter?
    private var cyclicNext: Int
    private var requests = 0
    private var stopped = false

    /// - Important: Collective.
    init(schedule: Schedule, count: Int, communicator: Communicator) {
        self.count = count
        self.schedule = schedule
        rank = communicator.rank
        ranks = communicator.size
        cyclicNext = communicator.rank
        counter = schedule == .cyclic || communicator.size == 1 ? nil : SharedCounter(communicator: communicator)
    }

    /// The next batch for this rank, or nil when every batch has been handed out.
    func next() -> Int? {
        if stopped { return nil }
        if case .jittered(let seed) = schedule {
            var random = RandomStream(seed: seed, item: rank, stream: UInt32(truncatingIfNeeded: requests))
            requests += 1
            Thread.sleep(forTimeInterval: 0.02 * random.uniform())
        }
        let batch: Int
        if let counter {
            batch = Int(counter.fetchAndAdd(1))
        } else if schedule == .cyclic {
            batch = cyclicNext
            cyclicNext += ranks
        } else {
            batch = cyclicNext  // one rank: in order
            cyclicNext += 1
        }
        return batch < count ? batch : nil
    }

    /// Hands out no more batches, to any rank (a stop request: the other ranks stop at their next request).
    func stopAll() {
        guard !stopped else { return }
        stopped = true
        _ = counter?.fetchAndAdd(Int64(count))
    }

    /// About how many batches have been handed out so far, to all ranks (for progress on rank 0).
    func handedOut() -> Int {
        guard let counter else { return min(count, cyclicNext) }
        return min(count, Int(counter.fetchAndAdd(0)))
    }

    /// - Important: Collective.
    func close() { counter?.free() }
}
