import Foundation
import Logging
import MPI
import Synchronization

/// The process's place in the MPI job: start-up, rank and size, and the two ways to end.
///
/// Success ends every rank through ``finish(exitCode:)`` (MPI_Finalize). An error that only some ranks see ends
/// the job through ``abort(_:exitCode:)`` (MPI_Abort): finalising on such a path would leave the other ranks
/// waiting in a collective forever.
public final class Session: Sendable {
    let communicator: Communicator
    /// The output lock of the run in progress (rank 0 took it; every rank knows it), released however the run ends.
    private let outputLock = Mutex<OutputLock?>(nil)

    /// This process's rank.
    public var rank: Int { communicator.rank }
    /// The number of ranks.
    public var size: Int { communicator.size }
    /// Whether this is rank 0.
    public var isRoot: Bool { communicator.isRoot }

    private init(communicator: Communicator) {
        self.communicator = communicator
    }

    /// Starts MPI (MPI_THREAD_FUNNELED); a plain process becomes a one-rank job.
    public static func start() -> Session {
        Session(communicator: MPIRuntime.start())
    }

    /// Checks that the launch is consistent with the environment.
    /// - Throws: ``BatchError`` (agreed) when a launcher started independent singletons instead of one job.
    public func checkLaunch(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let problem = MPIRuntime.launchMismatch(environment: environment, worldSize: size) {
            throw BatchError(.launch, problem, agreed: true)
        }
    }

    /// Finalises MPI and exits with `exitCode` (0 for success). Every rank must call it.
    public func finish(exitCode: Int32 = 0) -> Never {
        releaseOutputLock()
        MPIRuntime.finalize()
        exit(exitCode)
    }

    /// Reports `message` from this rank and ends the whole job with `exitCode`.
    public func abort(_ message: String, exitCode: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("beamforge: error: \(message)\n".utf8))
        // Any rank may end the job: the lock goes first, as rank 0 may be killed without a chance to remove it.
        releaseOutputLock()
        if size == 1 {
            // A singleton need not go through MPI_Abort (which prints a banner); nothing else waits on it.
            exit(exitCode)
        }
        communicator.abort(code: exitCode)
    }

    /// Remembers the run's output lock, to be released when the run or the process ends (a lock of an earlier run
    /// in this process, on another directory, is released now).
    func hold(_ lock: OutputLock?) {
        outputLock.withLock { held in
            if let earlier = held, earlier.path != lock?.path { earlier.release() }
            held = lock
        }
    }

    /// The holder text of the output lock, or "" when none is held.
    /// Whether this run already holds the lock of output directory `directory`.
    func holdsLock(of directory: String) -> Bool {
        let path = OutputLock(directory: directory, holder: .this(started: "")).path
        return outputLock.withLock { $0?.path == path }
    }

    var heldLockText: String { outputLock.withLock { $0?.holder.text ?? "" } }

    /// Removes the output lock file if this run still holds it (any rank may; the file's text must match).
    func releaseOutputLock() {
        outputLock.withLock { lock in
            lock?.release()
            lock = nil
        }
    }

    /// Agrees on a value decided by rank 0 (e.g. an error message after a file-system check).
    /// - Important: Collective.
    public func broadcast(_ text: String) -> String { communicator.broadcast(text) }

    /// Rank 0's text on every rank; the others wait asleep rather than busy-polling a core (for long waits).
    /// - Important: Collective.
    public func broadcastSleeping(_ text: String) -> String { communicator.broadcastSleeping(text) }

    /// Blocks until every rank arrives.
    /// - Important: Collective.
    public func barrier() { communicator.barrier() }
}
