/// How the pending items, cut into batches of ``RunOptions/batchSize``, are handed to the ranks. The output does not
/// depend on it: every item's random streams are keyed by its index and its values land at its row.
public enum Schedule: Sendable, Equatable, CustomStringConvertible {
    /// Batches handed out at run time, in order, to whichever rank asks first (an atomic counter on rank 0): ranks
    /// that draw cheap items take more of them, so uneven item costs do not leave ranks waiting. The default.
    case dynamic
    /// Batch k to rank k mod ranks, fixed in advance: costs that cluster in the index space are spread, uneven
    /// ones are not. Needs no one-sided MPI.
    case cyclic
    /// Dynamic, each rank pausing a pseudo-random 0–20 ms (keyed by `seed`, rank and batch) before it asks: an
    /// adversarial schedule for tests that the file does not depend on who computes what.
    case jittered(seed: UInt64)

    /// Parses `dynamic`, `cyclic` or `jitter:SEED`.
    public init?(_ text: String) {
        switch text {
        case "dynamic": self = .dynamic
        case "cyclic": self = .cyclic
        default:
            guard text.hasPrefix("jitter:"), let seed = UInt64(text.dropFirst("jitter:".count)) else { return nil }
            self = .jittered(seed: seed)
        }
    }

    public var description: String {
        switch self {
        case .dynamic: "dynamic"
        case .cyclic: "cyclic"
        case .jittered(let seed): "jitter:\(seed)"
        }
    }
}
