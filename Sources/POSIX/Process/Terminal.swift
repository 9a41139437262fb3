import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the process's standard streams are connected to.
public enum Terminal {
    /// Whether standard error is a terminal (progress lines redraw in place there, and are plain lines in logs).
    public static var standardErrorIsInteractive: Bool { isatty(STDERR_FILENO) != 0 }
}
