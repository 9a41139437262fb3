import CMPI

/// A 64-bit counter on rank 0 that any rank advances atomically without rank 0 taking part: MPI one-sided
/// `MPI_Fetch_and_op` on a window, in a passive-target epoch held for the counter's life. Within a node Open MPI
/// serves it through shared memory; across nodes through its one-sided component (RDMA atomics where the network
/// has them, else messages progressed whenever rank 0 is inside MPI).
///
/// Create and ``free()`` it collectively; ``fetchAndAdd(_:)`` is not collective. Main thread only, like every MPI
/// call of beamforge.
public final class SharedCounter {
    private var window: MPI_Win?
    private let communicator: Communicator

    /// A counter starting at `initial`.
    /// - Important: Collective.
    public init(communicator: Communicator, initial: Int64 = 0) {
        self.communicator = communicator
        var base: UnsafeMutableRawPointer?
        let bytes = communicator.isRoot ? MPI_Aint(MemoryLayout<Int64>.size) : 0
        withUnsafeMutablePointer(to: &base) { pointer in
            _ = MPI_Win_allocate(bytes, Int32(MemoryLayout<Int64>.size), MPI_INFO_NULL, communicator.handle,
                                 UnsafeMutableRawPointer(pointer), &window)
        }
        if communicator.isRoot, let base { base.storeBytes(of: initial, as: Int64.self) }
        // The value is in place before anyone adds to it.
        MPI_Barrier(communicator.handle)
        MPI_Win_lock_all(0, window)
    }

    /// Adds `amount` and returns the value before the addition.
    public func fetchAndAdd(_ amount: Int64) -> Int64 {
        var add = amount, previous: Int64 = 0
        MPI_Fetch_and_op(&add, &previous, MPI_INT64_T, 0, 0, MPI_SUM, window)
        MPI_Win_flush(0, window)
        return previous
    }

    /// Releases the window.
    /// - Important: Collective.
    public func free() {
        guard window != nil else { return }
        MPI_Win_unlock_all(window)
        MPI_Win_free(&window)
        window = nil
    }
}
