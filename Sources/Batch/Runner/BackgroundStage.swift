import Dispatch
import Synchronization

/// One background thread of the runner's pipeline: the reader (a batch's inputs) or the compute thread (a batch's
/// items), each a step ahead of the main thread, which writes.
///
/// The main thread starts a step with ``start(_:)`` and collects it with ``wait()``; at most one step is in flight.
/// The work never calls MPI, which stays funnelled through the main thread; HDF5 calls made meanwhile (a job
/// reading an input through HDF5) are serialised with the main thread's writes by the HDF5 wrapper.
final class BackgroundStage<Output: Sendable>: Sendable {
    private let queue: DispatchQueue
    private let finished = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Timed<Output>, any Error>?>(nil)
    /// False runs each step on the calling thread, inside ``start(_:)`` (each phase in turn).
    let overlaps: Bool

    init(_ label: String, overlaps: Bool) {
        queue = DispatchQueue(label: "beamforge." + label)
        self.overlaps = overlaps
    }

    /// Runs `work` on this stage's thread, or at once when not overlapping.
    func start(_ work: @escaping @Sendable () throws -> Output) {
        let run: @Sendable () -> Void = {
            let started = ContinuousClock.now
            var outcome = Optional(Result { Timed(value: try work(), seconds: Self.seconds(ContinuousClock.now - started)) })
            // Moved into the slot: no second reference may keep the output's buffers from being reused in place.
            self.result.withLock { $0 = outcome.take() }
            self.finished.signal()
        }
        if overlaps { queue.async(execute: run) } else { run() }
    }

    /// Waits for the step started last and returns its output and the seconds it took, or rethrows its error.
    func wait() throws -> Timed<Output> {
        finished.wait()
        return try result.withLock { slot in
            defer { slot = nil }
            return slot!
        }.get()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// A value handed to a stage's step, which takes it out: the step then holds the only reference to the value's
/// buffers, so that filling them reuses their memory in place. (A value captured by the step's closure would stay
/// referenced by the closure, and the first write to an array in it would copy the whole array.)
final class Handoff<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: consuming Value) { self.value = consume value }

    /// The value; call once.
    func take() -> Value {
        defer { value = nil }
        return value!
    }
}

/// A stage's output and the seconds it took to make.
struct Timed<Value: Sendable>: Sendable {
    var value: Value
    var seconds: Double
}
