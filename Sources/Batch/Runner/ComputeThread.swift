import Dispatch
import Synchronization

/// One background thread that produces a round's items while the main thread writes the previous round.
///
/// The main thread starts a round with ``start(_:)`` and collects it with ``wait()``; at most one round is in
/// flight. The work never calls MPI (which stays funnelled through the main thread); HDF5 calls a job makes while
/// reading its inputs are serialised with the main thread's writes by the HDF5 wrapper.
final class ComputeThread: Sendable {
    private let queue = DispatchQueue(label: "beamforge.compute")
    private let finished = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<ProducedRound, any Error>?>(nil)
    /// False runs each round on the calling thread, inside ``start(_:)`` (compute and write in turn).
    let overlaps: Bool

    init(overlaps: Bool) { self.overlaps = overlaps }

    /// Runs `work` on the compute thread, or at once when not overlapping.
    func start(_ work: @escaping @Sendable () throws -> ProducedRound) {
        let run: @Sendable () -> Void = {
            let started = ContinuousClock.now
            var outcome = Result { try work() }
            if case .success(var round) = outcome {
                round.seconds = Self.seconds(ContinuousClock.now - started)
                outcome = .success(round)
            }
            self.result.withLock { $0 = outcome }
            self.finished.signal()
        }
        if overlaps { queue.async(execute: run) } else { run() }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Waits for the round started last and returns it, or rethrows its error.
    func wait() throws -> ProducedRound {
        finished.wait()
        return try result.withLock { slot in
            defer { slot = nil }
            return slot!
        }.get()
    }
}

/// A round's items as produced on the compute thread, packed for the collective writes.
struct ProducedRound: Sendable {
    /// The items, ascending.
    var items: [Int]
    /// Their values, one buffer per output.
    var buffers: BatchBuffers
    /// Per statistic computed by item: each item's packed summary, in item order.
    var summaries: [[Double]]
    /// Their metadata rows.
    var rows: [[String]]
    /// Seconds the round took to produce.
    var seconds: Double = 0
}
