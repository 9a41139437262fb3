import Core
import Foundation
import POSIX

extension Runner {
    /// Free space kept beyond the estimated output: 5 % and 64 MiB (HDF5 metadata, meta.csv, the file system's own
    /// reserve).
    static func diskMargin(_ bytes: Int) -> Int { bytes / 20 + 64 << 20 }

    /// Refuses a run whose estimated working memory (``Plan``) on the ranks of one node exceeds what the node
    /// allows (``memoryLimit(ranksHere:)``), or whose output would not fit in the free space of the output's file
    /// system, before any output exists: the same outcome on every rank.
    func checkResources<J: Job>(_ job: J) throws {
        let plan = Plan(job: job, ranks: session.size, options: options)
        let perRank = plan.memoryPerRankBytes
        let ranksHere = communicator.nodeLocalSize()
        let (limit, source) = Self.memoryLimit(ranksHere: ranksHere)
        let (needed, overflow) = perRank.multipliedReportingOverflow(by: ranksHere)
        let fits = communicator.allreduce(!overflow && needed <= limit ? 0 : 1, .max) == 0
        if !fits {
            let rankText = ranksHere == 1 ? "1 rank" : "\(ranksHere) ranks"
            throw BatchError(.output, "\(job.name) needs about \(Plan.bytes(perRank)) of memory per rank, "
                             + "\(overflow ? "more than \(Plan.bytes(Int.max))" : Plan.bytes(needed)) for the "
                             + "\(rankText) on this node, more than its \(Plan.bytes(limit)) (\(source)); use fewer "
                             + "ranks per node, a smaller batch_size or smaller items (--dry-run shows the estimate)",
                             agreed: true)
        }
        let refusal = session.broadcast(session.isRoot ? diskRefusal(plan) ?? "" : "")
        if !refusal.isEmpty { throw BatchError(.output, refusal, agreed: true) }
    }

    /// The memory the ranks of this node may use and where the number comes from: the node's physical memory,
    /// or less when a control group caps it (``CgroupMemory``: Slurm's task/cgroup, containers) or Slurm allocated
    /// less (`SLURM_MEM_PER_NODE`, or `SLURM_MEM_PER_CPU` × the CPUs on the node, `SLURM_CPUS_ON_NODE` or one per
    /// rank; both in MiB).
    static func memoryLimit(ranksHere: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
                            cgroup: CgroupMemory.Limit? = CgroupMemory.limit()) -> (bytes: Int, source: String) {
        var limit = (SystemMemory.physicalBytes ?? Int(clamping: ProcessInfo.processInfo.physicalMemory),
                     "physical memory")
        if let cgroup, cgroup.bytes < limit.0 { limit = (cgroup.bytes, "cgroup limit \(cgroup.file)") }
        if let perNode = environment["SLURM_MEM_PER_NODE"].flatMap(Int.init), perNode > 0, perNode << 20 < limit.0 {
            limit = (perNode << 20, "SLURM_MEM_PER_NODE")
        }
        if let perCPU = environment["SLURM_MEM_PER_CPU"].flatMap(Int.init), perCPU > 0 {
            let cpus = environment["SLURM_CPUS_ON_NODE"].flatMap(Int.init) ?? ranksHere
            let bytes = (perCPU << 20).multipliedReportingOverflow(by: max(cpus, 1))
            if !bytes.overflow, bytes.partialValue < limit.0 { limit = (bytes.partialValue, "SLURM_MEM_PER_CPU") }
        }
        return limit
    }

    /// A note for an I/O error when the output's file system is full (under 1 MiB free): HDF5's MPI-IO driver
    /// reports a failed write without the system's reason. Empty otherwise.
    func fullDiskNote() -> String {
        let directory = options.outputDirectory.isEmpty ? "." : options.outputDirectory
        guard let available = FileSystem.availableBytes(at: directory), available < 1 << 20 else { return "" }
        return " (the file system of \(directory) is full: \(Plan.bytes(available)) free)"
    }

    /// Why the output will not fit on its file system, or nil: the estimated output (``Plan/outputBytes``) and a
    /// margin against the free space, where outputs this run replaces (`--overwrite`) or continues (`--resume`)
    /// count as free. Rank 0 only.
    func diskRefusal(_ plan: Plan) -> String? {
        var directory = options.outputDirectory
        while !Files.exists(directory), directory != "/", !directory.isEmpty { directory = PathName.parent(directory) }
        guard var available = FileSystem.availableBytes(at: directory.isEmpty ? "." : directory) else { return nil }
        let paths = OutputPaths(directory: options.outputDirectory, job: plan.job,
                                metadataFileName: options.metadataFileName)
        if options.overwrite || options.resume {
            for path in [paths.final, paths.partial] {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                available += size ?? 0
            }
        }
        let wanted = plan.outputBytes.addingReportingOverflow(Self.diskMargin(plan.outputBytes))
        guard wanted.overflow || wanted.partialValue > available else { return nil }
        return "\(paths.final) needs about \(Plan.bytes(plan.outputBytes)) (and a margin of "
            + "\(Plan.bytes(Self.diskMargin(plan.outputBytes)))), more than the \(Plan.bytes(available)) free on the "
            + "file system of \(directory); free space, choose another --out or fewer items (--dry-run shows the estimate)"
    }
}
