import Foundation

/// The memory limit a Linux control group puts on this process: what Slurm's `task/cgroup` (`--mem`), a container
/// runtime or systemd enforce, often far below the node's physical memory.
///
/// cgroup v2: `memory.max` of the process's group and of every group above it (the tightest wins; `max` is no
/// limit). cgroup v1: `memory.limit_in_bytes` of the memory hierarchy's group and its parents (values near 2⁶³
/// are no limit). Groups are found from `/proc/self/cgroup`.
public enum CgroupMemory {
    /// A limit and the file that sets it.
    public struct Limit: Equatable, Sendable {
        public let bytes: Int
        public let file: String

        public init(bytes: Int, file: String) {
            self.bytes = bytes
            self.file = file
        }
    }

    /// The tightest limit over this process's groups, or nil when none is set or none can be read.
    /// `membership` and `root` are parameters for tests (a fake tree).
    public static func limit(membership: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> Limit? {
        guard let text = try? String(contentsOfFile: membership, encoding: .utf8) else { return nil }
        var candidates: [String] = []
        for line in text.split(separator: "\n") {
            // hierarchy-ID:controller-list:path
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                candidates += ancestors(of: path).map { "\(root)\($0)/memory.max" }
            } else if fields[1].split(separator: ",").contains("memory") {
                candidates += ancestors(of: path).map { "\(root)/memory\($0)/memory.limit_in_bytes" }
            }
        }
        var tightest: Limit?
        for file in candidates {
            guard let value = try? String(contentsOfFile: file, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines),
                  let bytes = Int(value), bytes > 0, bytes < 1 << 62 else { continue }
            if tightest == nil || bytes < tightest!.bytes { tightest = Limit(bytes: bytes, file: file) }
        }
        return tightest
    }

    /// `/a/b` → `/a/b`, `/a`, `` (the root itself, spelled as the empty suffix).
    static func ancestors(of path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var list: [String] = []
        while true {
            list.append(parts.isEmpty ? "" : "/" + parts.joined(separator: "/"))
            if parts.isEmpty { break }
            parts.removeLast()
        }
        return list
    }
}
