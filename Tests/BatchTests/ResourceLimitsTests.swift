import Testing
@testable import Batch

@Suite struct ResourceLimitsTests {
    @Test("a Slurm allocation lowers the node's memory limit; without one it is the physical memory")
    func slurm() {
        let physical = Runner.memoryLimit(ranksHere: 2, environment: [:])
        #expect(physical.source == "physical memory" && physical.bytes > 0)
        let perNode = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_NODE": "100"])
        #expect(perNode.bytes == 100 << 20 && perNode.source == "SLURM_MEM_PER_NODE")
        let perCPU = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_CPU": "100"])
        #expect(perCPU.bytes == 200 << 20 && perCPU.source == "SLURM_MEM_PER_CPU")
        let cpus = Runner.memoryLimit(ranksHere: 2, environment: ["SLURM_MEM_PER_CPU": "100", "SLURM_CPUS_ON_NODE": "8"])
        #expect(cpus.bytes == 800 << 20)
        let huge = Runner.memoryLimit(ranksHere: 1, environment: ["SLURM_MEM_PER_NODE": "999999999999"])
        #expect(huge.source == "physical memory")
    }

    @Test("the disk margin is 5 % and 64 MiB")
    func margin() {
        #expect(Runner.diskMargin(0) == 64 << 20)
        #expect(Runner.diskMargin(20 << 30) == (1 << 30) + (64 << 20))
    }
}
