import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The signal number that asked this process to stop, or 0.
private let requestedSignal = Atomic<Int32>(0)

/// A request to stop by signal: the first of the watched signals sets a flag that the program polls and gives all
/// of them back their default action, so that a second one (the same or another) terminates the process at once.
/// The handler does nothing else, as a signal handler must.
public enum StopRequest {
    /// A signal that can request a stop.
    public enum Signal: Int32, CaseIterable, Sendable {
        case user1, user2, terminate, interrupt

        /// The signal's number on this system.
        public var number: Int32 {
            switch self {
            case .user1: SIGUSR1
            case .user2: SIGUSR2
            case .terminate: SIGTERM
            case .interrupt: SIGINT
            }
        }

        /// The signal's conventional name, e.g. `SIGUSR1`.
        public var name: String {
            switch self {
            case .user1: "SIGUSR1"
            case .user2: "SIGUSR2"
            case .terminate: "SIGTERM"
            case .interrupt: "SIGINT"
            }
        }
    }

    /// Installs the handlers for `signals`.
    public static func watch(_ signals: [Signal]) {
        for sig in signals {
            signal(sig.number) { number in
                requestedSignal.store(number, ordering: .relaxed)
                // All the signals a stop may come by, one call each (no allocation in a handler).
                signal(SIGUSR1, SIG_DFL)
                signal(SIGUSR2, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
                signal(SIGINT, SIG_DFL)
            }
        }
    }

    /// The number of the signal received so far, or nil.
    public static var received: Int32? {
        let value = requestedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// A readable name for a signal number (`SIGTERM`, or `signal 9`).
    public static func name(_ number: Int32) -> String {
        Signal.allCases.first { $0.number == number }?.name ?? "signal \(number)"
    }
}
