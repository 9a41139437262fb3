import Foundation

/// The processors this process may run on.
public enum Processors {
    /// CPUs in this process's affinity mask (Linux's `Cpus_allowed` in /proc/self/status, which a launcher's
    /// binding or a batch system's cgroup narrows); all online CPUs where the mask cannot be read. Glibc's
    /// `sched_getaffinity` is not visible to Swift without `_GNU_SOURCE`, so the kernel's own report is read.
    public static var available: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else {
            return online
        }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return count > 0 ? count : online
    }

    /// CPUs online on this machine.
    public static var online: Int { ProcessInfo.processInfo.activeProcessorCount }
}
