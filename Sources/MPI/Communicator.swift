import CMPI

/// An MPI communicator: rank, size and the collectives beamforge needs.
///
/// MPI errors are fatal (MPI's default error handler prints the cause and aborts the job), so these calls do
/// not throw. Every method marked collective must be called by every rank of the communicator, in the same order.
public struct Communicator {
    let handle: MPI_Comm
    /// This process's rank, 0 ..< size.
    public let rank: Int
    /// The number of ranks.
    public let size: Int

    init(handle: MPI_Comm) {
        self.handle = handle
        var r: Int32 = 0
        var s: Int32 = 0
        MPI_Comm_rank(handle, &r)
        MPI_Comm_size(handle, &s)
        rank = Int(r)
        size = Int(s)
    }

    /// The raw handle, for the HDF5 wrapper's MPI-IO file driver.
    package var rawHandle: MPI_Comm { handle }

    /// Whether this is rank 0, which writes the rank-0 outputs (CSV, logs, progress).
    public var isRoot: Bool { rank == 0 }

    /// Blocks until every rank has reached it.
    /// - Important: Collective.
    public func barrier() { MPI_Barrier(handle) }

    /// Ends every process of the job with `code`. Use it on error paths instead of finalising.
    public func abort(code: Int32) -> Never {
        MPI_Abort(handle, code)
        // MPI_Abort does not return; satisfy the type checker if an implementation ever does.
        fatalError("MPI_Abort returned")
    }
}

/// Communicator handles are immutable references to MPI objects and are only used on the main thread.
extension Communicator: @unchecked Sendable {}

extension Communicator {
    /// The number of ranks sharing this rank's node (its shared-memory domain), for per-node memory estimates.
    /// - Important: Collective.
    public func nodeLocalSize() -> Int {
        var local = MPI_COMM_NULL
        MPI_Comm_split_type(handle, Int32(MPI_COMM_TYPE_SHARED), Int32(rank), MPI_INFO_NULL, &local)
        defer { MPI_Comm_free(&local) }
        var size: Int32 = 1
        MPI_Comm_size(local, &size)
        return Int(size)
    }
}
