import Foundation
import Formats
import Serve
import Synchronization

/// Rank 0's state of `beamforge serve`, shared by the endpoint threads (commands, feeder events) and the MPI main
/// loop, behind one lock. The queue's frames wait in `pending` until they are readable, then go out in an epoch;
/// a `new` waits here for the main loop, which builds the matrices on every rank.
final class ServeState: Sendable {
    /// One queue (SAXSDog has one per server; `new` replaces it).
    struct Queue {
        var index: Int
        /// The folder frames are taken from (resolved; inside BASEDIR).
        var directory: String
        /// `OUT/queue-<index>`.
        var output: String
        var calibration: JSONValue
        var attachments: [JSONValue]
        var startTime: Double
        /// No more frames are taken (close, abort).
        var closed = false
        var pending: [(path: String, since: Double)] = []
        var known: Set<String> = []
        var processed: [String] = []
        /// Per processed frame, its first `.chi` file.
        var chiFiles: [String] = []
        /// When each frame was done (SAXSDog's history: the last 100 s).
        var history: [Double] = []
    }

    /// A `new` handed to the main loop; the endpoint thread waits on `done`.
    final class Opening: Sendable {
        let queue: Mutex<Queue?>
        let calibrationPath: String
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        init(_ queue: Queue, calibrationPath: String) {
            self.queue = Mutex(queue)
            self.calibrationPath = calibrationPath
        }
    }

    struct Inner {
        var queue: Queue?
        var opening: Opening?
        var nextIndex = 1
        /// The server is ending: no `new` waits for the main loop any more.
        var stopping = false
    }

    let base: String
    let out: String
    let pattern: String?
    let readyTimeout: Double
    let inner = Mutex(Inner())
    /// Signalled when something arrives for the main loop.
    let wake = DispatchSemaphore(value: 0)

    init(base: String, out: String, pattern: String?, readyTimeout: Double) {
        self.base = base
        self.out = out
        self.pattern = pattern
        self.readyTimeout = readyTimeout
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// SAXSDog's stat object (`{}` without a queue).
    func stat() -> JSONValue { inner.withLock { Self.stat($0.queue) } }

    static func stat(_ queue: Queue?) -> JSONValue {
        guard let queue else { return .object([]) }
        return .object([("images processed", SAXSDogReply.integer(queue.processed.count)),
                        ("queue length", SAXSDogReply.integer(queue.pending.count)),
                        ("time", SAXSDogReply.float(now())), ("start time", SAXSDogReply.float(queue.startTime))])
    }

    /// Takes a frame path from a feeder event or a directory walk: relative paths are taken from BASEDIR (as
    /// SAXSDog joins them), symbolic links resolved; the frame must lie in the queue's folder, be a frame format
    /// and match the pattern. Returns why it was dropped, or nil when it was queued (or already known).
    @discardableResult
    func offer(_ path: String, accepts: (String) -> Bool) -> String? {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        let real = ConfinedDirectory.realPath(joined)
        return inner.withLock { state -> String? in
            guard var queue = state.queue, !queue.closed else { return "no open queue" }
            guard real.hasPrefix(queue.directory + "/") else { return "\(path) is outside the queue's directory" }
            guard accepts((real as NSString).lastPathComponent) else { return "\(path) is not a frame file of the pattern" }
            guard !queue.known.contains(real) else { return nil }
            queue.known.insert(real)
            queue.pending.append((real, Self.now()))
            state.queue = queue
            wake.signal()
            return nil
        }
    }
}
