import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who this process is, and whether another process on this machine still lives.
public enum ProcessIdentity {
    /// This machine's host name (`gethostname(2)`), or `localhost` when it cannot be read.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// This process's id (`getpid(2)`).
    public static var id: Int32 { getpid() }

    /// Whether a process with id `pid` runs on this machine: `kill(pid, 0)` finds it (permission denied means it
    /// exists) and Linux's /proc does not call it a zombie (dead, not yet reaped: a killed rank whose launcher just
    /// ended).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: end)...].first { $0 != " " }
        return state != "Z" && state != "X"
    }
}
