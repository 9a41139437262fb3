import CMPI

extension Communicator {
    /// MPI counts are `int`: messages are split into pieces of at most this many elements.
    static let maxCount = Int(Int32.max)

    /// Combines `value` over all ranks and returns the result on every rank.
    /// - Important: Collective; every rank calls it with the same `op`.
    public func allreduce<T: MPIScalar>(_ value: T, _ op: ReductionOp) -> T {
        var input = value
        var output = value
        MPI_Allreduce(&input, &output, 1, T.mpiDatatype.handle, op.handle, handle)
        return output
    }

    /// Combines arrays element-wise over all ranks and returns the result on every rank.
    /// - Important: Collective; every rank passes an array of the same length and the same `op`.
    public func allreduce<T: MPIScalar>(_ values: [T], _ op: ReductionOp) -> [T] {
        var output = values
        values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var offset = 0
                while offset < input.count {
                    let n = min(Self.maxCount, input.count - offset)
                    MPI_Allreduce(input.baseAddress! + offset, out.baseAddress! + offset, Int32(n),
                                  T.mpiDatatype.handle, op.handle, handle)
                    offset += n
                }
            }
        }
        return output
    }

    /// Returns `root`'s value on every rank.
    /// - Important: Collective.
    public func broadcast<T: MPIScalar>(_ value: T, root: Int = 0) -> T {
        var v = value
        MPI_Bcast(&v, 1, T.mpiDatatype.handle, Int32(root), handle)
        return v
    }

    /// Returns `root`'s bytes on every rank (the other ranks' `bytes` are ignored).
    /// - Important: Collective.
    public func broadcast(bytes: [UInt8], root: Int = 0) -> [UInt8] {
        let count = broadcast(bytes.count, root: root)
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: count)
        buffer.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < count {
                let n = min(Self.maxCount, count - offset)
                MPI_Bcast(raw.baseAddress! + offset, Int32(n), MPI_BYTE, Int32(root), handle)
                offset += n
            }
        }
        return buffer
    }

    /// Returns `root`'s string on every rank.
    /// - Important: Collective.
    public func broadcast(_ string: String, root: Int = 0) -> String {
        String(decoding: broadcast(bytes: Array(string.utf8), root: root), as: UTF8.self)
    }

    /// Gathers one value from every rank onto every rank, in rank order.
    /// - Important: Collective.
    public func allgather<T: MPIScalar>(_ value: T) -> [T] {
        var v = value
        var out = [T](repeating: value, count: size)
        out.withUnsafeMutableBufferPointer { buffer in
            _ = MPI_Allgather(&v, 1, T.mpiDatatype.handle, buffer.baseAddress, 1, T.mpiDatatype.handle, handle)
        }
        return out
    }

    /// Gathers each rank's bytes onto every rank, in rank order.
    /// - Important: Collective. The total must stay below 2³¹ bytes (MPI's `int` displacements).
    public func allgather(bytes: [UInt8]) -> [[UInt8]] {
        precondition(bytes.count <= Self.maxCount, "allgather: message of \(bytes.count) bytes exceeds 2^31")
        let counts = allgather(Int32(bytes.count))
        var displacements = [Int32](repeating: 0, count: size)
        var total = 0
        for r in 0..<size {
            precondition(total + Int(counts[r]) <= Self.maxCount, "allgather: total exceeds 2^31 bytes")
            displacements[r] = Int32(total)
            total += Int(counts[r])
        }
        var received = [UInt8](repeating: 0, count: max(1, total))
        bytes.withUnsafeBytes { send in
            received.withUnsafeMutableBytes { recv in
                _ = MPI_Allgatherv(send.baseAddress, Int32(bytes.count), MPI_BYTE, recv.baseAddress, counts,
                                   displacements, MPI_BYTE, handle)
            }
        }
        return (0..<size).map { r in Array(received[Int(displacements[r])..<Int(displacements[r]) + Int(counts[r])]) }
    }

    /// Gathers each rank's bytes onto `root`, in rank order.
    ///
    /// - Returns: on `root`, one byte array per rank; on the other ranks, nil.
    /// - Important: Collective. The total must stay below 2³¹ bytes (MPI's `int` displacements).
    public func gather(bytes: [UInt8], root: Int = 0) -> [[UInt8]]? {
        var counts = [Int32](repeating: 0, count: size)
        var myCount = Int32(clamping: bytes.count)
        precondition(bytes.count <= Self.maxCount, "gather: message of \(bytes.count) bytes exceeds 2^31")
        counts.withUnsafeMutableBufferPointer { c in
            _ = MPI_Gather(&myCount, 1, MPI_INT32_T, c.baseAddress, 1, MPI_INT32_T, Int32(root), handle)
        }
        var displacements = [Int32](repeating: 0, count: size)
        var total = 0
        if rank == root {
            for r in 0..<size {
                precondition(total + Int(counts[r]) <= Self.maxCount, "gather: total exceeds 2^31 bytes")
                displacements[r] = Int32(total)
                total += Int(counts[r])
            }
        }
        var received = [UInt8](repeating: 0, count: total)
        bytes.withUnsafeBytes { send in
            received.withUnsafeMutableBytes { recv in
                _ = MPI_Gatherv(send.baseAddress, myCount, MPI_BYTE, recv.baseAddress, counts, displacements,
                                MPI_BYTE, Int32(root), handle)
            }
        }
        guard rank == root else { return nil }
        return (0..<size).map { r in
            let start = Int(displacements[r])
            return Array(received[start..<start + Int(counts[r])])
        }
    }
}
