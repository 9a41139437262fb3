import CMPI
#if canImport(Glibc)
import Glibc
#endif

extension Communicator {
    /// Returns `root`'s string on every rank, like ``broadcast(_:root:)``, but the other ranks wait for it without
    /// holding a core: they start the broadcast of its length (`MPI_Ibcast`) and test it every `pause` seconds,
    /// sleeping in between, where a blocking `MPI_Bcast` busy-polls in Open MPI. For ranks that may wait long
    /// (a watch between frames).
    /// - Important: Collective.
    public func broadcastSleeping(_ string: String, root: Int = 0, pause: Double = 0.01) -> String {
        var count = Int64(rank == root ? string.utf8.count : 0)
        var request: MPI_Request? = nil
        MPI_Ibcast(&count, 1, MPI_INT64_T, Int32(root), handle, &request)
        var done: Int32 = 0
        while true {
            MPI_Test(&request, &done, MPI_STATUS_IGNORE)
            if done != 0 { break }
            usleep(useconds_t(max(1, pause * 1_000_000)))
        }
        var buffer = rank == root ? Array(string.utf8) : [UInt8](repeating: 0, count: Int(count))
        buffer.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < Int(count) {
                let n = min(Self.maxCount, Int(count) - offset)
                MPI_Bcast(raw.baseAddress! + offset, Int32(n), MPI_BYTE, Int32(root), handle)
                offset += n
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }
}
