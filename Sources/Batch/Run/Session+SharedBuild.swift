import Core
import Logging
import MPI

extension Session {
    /// Runs the job's set-up (``Job/prepare(_:)``) with the work shared by the ranks; logs its seconds.
    /// - Throws: ``BatchError`` (agreed: every rank builds the same and fails alike).
    /// - Important: Collective.
    public func prepare(_ job: inout any Job, logger: Logger) throws {
        let started = MPIRuntime.wallTime()
        do { try job.prepare(sharedBuild) } catch let error as BatchError { throw error } catch {
            throw BatchError(.output, "\(job.name): \(error)", agreed: true)
        }
        logger.debug("set-up shared by \(size) ranks: \(Progress.fixed(MPIRuntime.wallTime() - started, 2)) s")
    }

    /// The run's ``SharedBuild``: rank r builds a contiguous block of the parts, and every rank receives all of them
    /// (MPI_Allgatherv of the parts' bytes, each with its length).
    var sharedBuild: SharedBuild {
        let communicator = self.communicator
        guard communicator.size > 1 else { return .serial }
        return SharedBuild(processes: communicator.size) { count, part in
            var mine: [UInt8] = []
            for index in Partition.block(count: count, parts: communicator.size, part: communicator.rank) {
                let bytes = try part(index)
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { mine += $0 }
                mine += bytes
            }
            var parts: [[UInt8]] = []
            parts.reserveCapacity(count)
            for block in communicator.allgather(bytes: mine) {
                var offset = 0
                while offset < block.count {
                    var length: UInt64 = 0
                    withUnsafeMutableBytes(of: &length) { $0.copyBytes(from: block[offset..<offset + 8]) }
                    let start = offset + 8, end = start + Int(UInt64(littleEndian: length))
                    parts.append(Array(block[start..<end]))
                    offset = end
                }
            }
            precondition(parts.count == count, "shared build: \(parts.count) parts gathered for \(count)")
            return parts
        }
    }
}
