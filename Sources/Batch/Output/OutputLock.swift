import Foundation
import POSIX

/// The advisory lock of an output directory, `<out>/.beamforge.lock`: one run writes into a directory at a time.
///
/// Rank 0 takes it before anything in the directory is written or removed, for fresh runs, `--resume`,
/// `--overwrite` and redone items alike; it names the holder's host, pid and start time. A lock of a dead process
/// of this host is stale and taken over; any other is refused. The run removes it when it ends (complete, stopped
/// or failed); a run killed outright leaves it, stale, for the next one.
struct OutputLock: Sendable {
    /// The lock file's name inside the output directory.
    static let fileName = ".beamforge.lock"

    let path: String
    let holder: LockHolder

    /// The lock of `directory` as held by `holder` (what every rank knows of rank 0's lock).
    init(directory: String, holder: LockHolder) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.holder = holder
    }

    /// Takes the lock of `directory` for this process; the error names who holds it. Rank 0 only.
    static func take(directory: String, log: (String) -> Void) throws(BatchError) -> OutputLock {
        let formatter = ISO8601DateFormatter()
        let lock = OutputLock(directory: directory, holder: .this(started: formatter.string(from: Date())))
        let outcome: LockFile.Outcome
        do { outcome = try LockFile.acquire(lock.path, as: lock.holder) } catch {
            throw BatchError(.output, "cannot create the lock file \(lock.path): \(error)", agreed: false)
        }
        switch outcome {
        case .acquired(let replaced):
            if let replaced { log("took over the stale lock \(lock.path) of \(replaced) (no longer running)") }
            return lock
        case .held(let holder?):
            throw BatchError(.output, "\(directory) is in use by another run (\(holder)); if that run is gone, "
                             + "remove \(lock.path)", agreed: false)
        case .held(nil):
            throw BatchError(.output, "\(directory) is locked by \(lock.path), which does not say who holds it; "
                             + "remove it if no run uses \(directory)", agreed: false)
        }
    }

    /// Removes the lock file if it is still this lock's.
    func release() { LockFile.release(path, heldBy: holder) }
}
