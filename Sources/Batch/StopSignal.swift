import Foundation
import Synchronization

/// The signal number that asked this process to stop, or 0.
private let requestedSignal = Atomic<Int32>(0)

/// A graceful stop on SIGUSR1, SIGUSR2, SIGTERM or SIGINT.
///
/// Slurm sends `--signal=B:USR1@120` before a job's time limit; the batch script forwards it to the ranks. The
/// handler only sets a flag; the runner agrees on it across ranks between rounds, flushes what is done, and leaves
/// the `.partial` file for `--resume`. A second signal gets the default action (immediate termination).
public enum StopSignal {
    /// The signals that request a stop.
    public static let handled: [Int32] = [SIGUSR1, SIGUSR2, SIGTERM, SIGINT]

    /// Installs the handlers.
    public static func install() {
        for sig in handled {
            signal(sig) { number in
                requestedSignal.store(number, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    /// The signal received so far, or nil.
    public static var received: Int32? {
        let value = requestedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// A readable name for a signal number.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
