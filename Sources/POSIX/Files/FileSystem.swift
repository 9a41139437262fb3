import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file-system calls beamforge makes outside Foundation's `FileManager`: an atomic rename, an unlink that may
/// fail quietly, a writability check, the free space, and the system's words for an error number.
public enum FileSystem {
    /// Renames `source` to `destination` atomically (`rename(2)`: replaces an existing file in one step).
    /// - Throws: ``SystemError`` with the system's reason.
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        guard Foundation.rename(source, destination) == 0 else { throw SystemError(code: errno) }
    }

    /// Removes the file at `path` if there is one (`unlink(2)`); a missing file is no error.
    public static func unlink(_ path: String) { _ = Foundation.unlink(path) }

    /// Why this process may not write into the directory at `path` (`access(2)` with `W_OK`), or nil if it may.
    public static func writeRefusal(directory path: String) -> SystemError? {
        access(path, W_OK) == 0 ? nil : SystemError(code: errno)
    }

    /// Bytes an unprivileged process may still write on the file system holding `path` (`statvfs(3)`:
    /// `f_bavail` × `f_frsize`), or nil if it cannot be asked.
    public static func availableBytes(at path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let (bytes, overflow) = Int(clamping: info.f_bavail).multipliedReportingOverflow(by: Int(clamping: info.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// The file-system types where `inotify(7)` misses other hosts' writes, as `/proc/self/mounts` names them
    /// (NFS, GPFS, Lustre, CIFS/SMB, FUSE; Glibc's Swift module does not export `statfs(2)`, whose magic numbers
    /// name the same types).
    public static func isNetworked(type: String) -> Bool {
        ["nfs", "nfs4", "gpfs", "lustre", "cifs", "smb3", "smbfs", "fuse", "ceph", "beegfs"].contains(type)
            || type.hasPrefix("fuse.")
    }

    /// The type of the networked file system holding `path` (see ``isNetworked(type:)``), or nil for a local one
    /// or when the mount table cannot be read: the mount point in `mounts` (`/proc/self/mounts` lines) that is
    /// the longest prefix of the path's real path.
    public static func networkedType(_ path: String, mounts: String? = nil) -> String? {
        guard let table = mounts ?? (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) else { return nil }
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (point: String, type: String)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Spaces in mount points are written \040.
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || real == point || real.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        guard let best, isNetworked(type: best.type) else { return nil }
        return best.type
    }

    /// Whether `name` matches the shell wildcard `pattern` (`*`, `?`, `[…]`; `fnmatch(3)` without flags).
    public static func matches(_ name: String, pattern: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    /// The reason behind a Foundation file error: the POSIX error's own text where it wraps one (`No space left on
    /// device`), else Foundation's description.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return SystemError(code: Int32(underlying.code)).description
        }
        return ns.localizedDescription
    }
}

/// A failed system call: its error number and the system's text for it (`strerror`).
public struct SystemError: Error, CustomStringConvertible, Sendable {
    /// The `errno` value.
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public var description: String { String(cString: strerror(code)) }
}
