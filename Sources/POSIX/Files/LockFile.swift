import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process named in a lock file: host, process id and start time, one `key value` line each.
public struct LockHolder: Equatable, Sendable, CustomStringConvertible {
    /// The host the process runs on.
    public let host: String
    /// Its process id on that host.
    public let pid: Int32
    /// When it took the lock (ISO 8601).
    public let started: String

    public init(host: String, pid: Int32, started: String) {
        self.host = host
        self.pid = pid
        self.started = started
    }

    /// This process, taking a lock at `started`.
    public static func this(started: String) -> LockHolder {
        LockHolder(host: ProcessIdentity.hostName, pid: ProcessIdentity.id, started: started)
    }

    /// Parses a lock file's text; nil when it lacks the host or the pid.
    public init?(text: String) {
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let host = fields["host"], let pidText = fields["pid"], let pid = Int32(pidText) else { return nil }
        self.init(host: String(host), pid: pid, started: String(fields["started"] ?? "?"))
    }

    /// The lock file's text.
    public var text: String { "host \(host)\npid \(pid)\nstarted \(started)\n" }

    /// `pid 123 on host node7 since 2026-01-01T00:00:00Z`.
    public var description: String { "pid \(pid) on host \(host) since \(started)" }

    /// Whether the holder is a process of this host that no longer exists (its lock may be taken over).
    public var isDeadOnThisHost: Bool { host == ProcessIdentity.hostName && !ProcessIdentity.isAlive(pid) }
}

/// An advisory lock file: created only if absent (`open` with `O_CREAT | O_EXCL`) and holding its holder.
///
/// A lock left by a dead process of this host is stale and taken over; one held by a live process, by a process of
/// another host (which cannot be checked from here) or whose text cannot be read is refused.
public enum LockFile {
    /// The result of ``acquire(_:as:)``.
    public enum Outcome: Equatable, Sendable {
        /// The lock is ours; `replaced` names the dead holder of a stale lock taken over.
        case acquired(replaced: LockHolder?)
        /// Someone else holds it (nil: the file does not say who).
        case held(by: LockHolder?)
    }

    /// Takes the lock at `path` for `holder`.
    /// - Throws: ``SystemError`` when the file can be neither created nor read.
    public static func acquire(_ path: String, as holder: LockHolder) throws(SystemError) -> Outcome {
        var replaced: LockHolder?
        for _ in 0..<5 {
            if try create(path, text: holder.text) { return .acquired(replaced: replaced) }
            guard let current = try readHolder(path) else { return .held(by: nil) }
            // A lock of this very process (an earlier run in it) is taken over like a dead one, without a word.
            let ours = current.host == holder.host && current.pid == holder.pid
            guard ours || current.isDeadOnThisHost else { return .held(by: current) }
            // Move the stale file aside, and remove it only if it is still the one judged stale.
            let aside = path + ".stale.\(ProcessIdentity.id)"
            guard Foundation.rename(path, aside) == 0 else { continue }
            if let moved = try? String(contentsOfFile: aside, encoding: .utf8), LockHolder(text: moved) == current {
                _ = unlink(aside)
                replaced = ours ? nil : current
            } else {
                _ = Foundation.rename(aside, path)
            }
        }
        return .held(by: try readHolder(path))
    }

    /// Removes the lock at `path` if `holder` still holds it.
    public static func release(_ path: String, heldBy holder: LockHolder) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), LockHolder(text: text) == holder else { return }
        _ = unlink(path)
    }

    /// Creates the file with `text` if it does not exist; false if it does.
    private static func create(_ path: String, text: String) throws(SystemError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw SystemError(code: errno)
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let failure = written == bytes.count ? nil : SystemError(code: written < 0 ? errno : EIO)
        _ = fsync(fd)
        _ = close(fd)
        if let failure {
            _ = unlink(path)
            throw failure
        }
        return true
    }

    /// The holder named by the file at `path`, waiting briefly for a creator that has not written it yet; nil when
    /// it stays unreadable. A file that vanished meanwhile reads as a dead holder, so that the caller tries again.
    private static func readHolder(_ path: String) throws(SystemError) -> LockHolder? {
        for attempt in 0..<10 {
            if attempt > 0 { usleep(50_000) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                if access(path, F_OK) != 0 { return LockHolder(host: ProcessIdentity.hostName, pid: 0, started: "") }
                continue
            }
            if let holder = LockHolder(text: text) { return holder }
        }
        return nil
    }
}
