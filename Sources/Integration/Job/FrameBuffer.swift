import Synchronization

/// A reusable buffer of raw frames (one job's, one rank's).
final class FrameBuffer: Sendable {
    let storage = Mutex<[UInt32]>([])
}
