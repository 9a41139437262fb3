import POSIX

/// A graceful stop on SIGUSR1, SIGUSR2, SIGTERM or SIGINT.
///
/// Slurm sends `--signal=B:USR1@120` before a job's time limit; the batch script forwards it to the ranks. The
/// handler only sets a flag; the runner agrees on it across ranks between rounds, flushes what is done, and leaves
/// the `.partial` file for `--resume`. A second signal (any of the four) gets the default action: immediate
/// termination.
public enum StopSignal {
    /// Installs the handlers.
    public static func install() { StopRequest.watch(StopRequest.Signal.allCases) }

    /// The signal received so far, or nil.
    public static var received: Int32? { StopRequest.received }

    /// A readable name for a signal number.
    public static func name(_ number: Int32) -> String { StopRequest.name(number) }
}
