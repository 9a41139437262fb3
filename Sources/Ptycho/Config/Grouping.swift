/// How the `frames_per_pos` exposures of one scan position become one pattern.
public enum Grouping: String, Sendable, CaseIterable {
    /// The sum of the exposures (counts add; exposure times add).
    case sum
    /// The mean.
    case mean
    /// The per-pixel median.
    case median
    /// The first exposure only.
    case first
    /// The exposure with the fewest saturated pixels, then the largest total, then the earliest.
    case best
    /// Every frame is a position of its own (`frames_per_pos` must be 1).
    case none
}
