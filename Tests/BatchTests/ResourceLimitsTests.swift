import Foundation
import POSIX
import Testing
@testable import Batch

@Suite struct ResourceLimitsTests {
    @Test("a Slurm allocation lowers the node's memory limit; without one it is the physical memory")
    func slurm() {
        let physical = Runner.memoryLimit(ranksHere: 2, environment: [:], cgroup: nil)
        #expect(physical.source == "physical memory" && physical.bytes > 0)
        let perNode = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_NODE": "100"], cgroup: nil)
        #expect(perNode.bytes == 100 << 20 && perNode.source == "SLURM_MEM_PER_NODE")
        let perCPU = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_CPU": "100"], cgroup: nil)
        #expect(perCPU.bytes == 200 << 20 && perCPU.source == "SLURM_MEM_PER_CPU")
        let cpus = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_CPU": "100", "SLURM_CPUS_ON_NODE": "8"], cgroup: nil)
        #expect(cpus.bytes == 800 << 20)
        let huge = Runner.memoryLimit(ranksHere: 1, environment: ["SLURM_MEM_PER_NODE": "999999999999"], cgroup: nil)
        #expect(huge.source == "physical memory")
    }

    @Test("a cgroup limit lowers the node's limit; Slurm's lower one wins over it")
    func cgroupLimit() {
        let cgroup = CgroupMemory.Limit(bytes: 300 << 20, file: "/sys/fs/cgroup/job/memory.max")
        let capped = Runner.memoryLimit(ranksHere: 2, environment: [:], cgroup: cgroup)
        #expect(capped.bytes == 300 << 20 && capped.source == "cgroup limit /sys/fs/cgroup/job/memory.max")
        let slurm = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_NODE": "100"], cgroup: cgroup)
        #expect(slurm.bytes == 100 << 20 && slurm.source == "SLURM_MEM_PER_NODE")
    }

    /// A fake /proc/self/cgroup and /sys/fs/cgroup tree.
    private func tree(_ membership: String, files: [String: String]) throws -> (String, String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)").path
        for (path, value) in files {
            let full = base + "/fs" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try value.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try membership.write(toFile: base + "/cgroup", atomically: true, encoding: .utf8)
        return (base + "/cgroup", base + "/fs")
    }

    @Test("cgroup v2: the tightest memory.max from the process's group up; 'max' is no limit")
    func cgroupV2() throws {
        let (membership, root) = try tree("0::/slurm/job_7/step_0\n", files: [
            "/slurm/job_7/step_0/memory.max": "max\n", "/slurm/job_7/memory.max": "268435456\n",
            "/slurm/memory.max": "1073741824\n", "/memory.max": "max\n"])
        #expect(CgroupMemory.limit(membership: membership, root: root)
                == CgroupMemory.Limit(bytes: 268_435_456, file: root + "/slurm/job_7/memory.max"))
        let (open, openRoot) = try tree("0::/user.slice\n", files: ["/user.slice/memory.max": "max\n"])
        #expect(CgroupMemory.limit(membership: open, root: openRoot) == nil)
    }

    @Test("cgroup v1: memory.limit_in_bytes of the memory hierarchy; the huge 'unlimited' value is no limit")
    func cgroupV1() throws {
        let (membership, root) = try tree("12:pids:/x\n4:memory:/slurm/uid_0/job_9\n1:cpu,cpuacct:/\n", files: [
            "/memory/slurm/uid_0/job_9/memory.limit_in_bytes": "536870912\n",
            "/memory/slurm/memory.limit_in_bytes": "9223372036854771712\n"])
        #expect(CgroupMemory.limit(membership: membership, root: root)?.bytes == 536_870_912)
        #expect(CgroupMemory.limit(membership: "/nonexistent", root: root) == nil)
    }

    @Test("the disk margin is 5 % and 64 MiB")
    func margin() {
        #expect(Runner.diskMargin(0) == 64 << 20)
        #expect(Runner.diskMargin(20 << 30) == (1 << 30) + (64 << 20))
    }
}
