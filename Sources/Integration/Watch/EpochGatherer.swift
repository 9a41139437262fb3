import Foundation

/// Rank 0's pacing of a watch: gathers ready frames into epochs and decides when the watch ends.
///
/// An epoch closes ``WatchSettings/epoch`` seconds after its first ready frame, or at once when it holds `cap`
/// frames; with nothing ready, a look returns ``Step/idle`` after ``WatchSettings/epoch`` seconds, so that the
/// ranks hear from rank 0 regularly (and a signal or `--until-idle` is noticed).
public struct EpochGatherer {
    /// What the ranks do next.
    public enum Step: Equatable, Sendable {
        /// Integrate these frames (paths, in the order handed out).
        case frames([String])
        /// Nothing new yet.
        case idle
        /// End the watch: why, and the stop signal that ended it (nil: `--until-idle` or `--max-frames`).
        case stop(String, signal: Int32?)
    }

    let watcher: FrameWatcher
    let settings: WatchSettings
    let cap: Int
    let clock: () -> Double
    private var lastActivity: Double
    private var rejected: [(path: String, reason: String)] = []

    /// Paces `watcher`; an epoch holds at most `cap` frames.
    public init(watcher: FrameWatcher, settings: WatchSettings, cap: Int,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.watcher = watcher
        self.settings = settings
        self.cap = max(1, cap)
        self.clock = clock
        lastActivity = clock()
    }

    /// The files rejected since the last call (path, reason).
    public mutating func takeRejected() -> [(path: String, reason: String)] {
        defer { rejected = [] }
        return rejected
    }

    /// Looks until an epoch is complete, nothing happened for an epoch's time, or the watch must end;
    /// `processed` frames were handed out before; `stopSignal` tells a stop signal received.
    public mutating func next(processed: Int, stopSignal: () -> Int32?) -> Step {
        let started = clock()
        var ready: [String] = []
        var firstReady: Double?
        while true {
            let (found, refused) = watcher.look()
            rejected += refused
            let now = clock()
            if !found.isEmpty || !refused.isEmpty || watcher.waitingCount > 0 { lastActivity = now }
            if !found.isEmpty && firstReady == nil { firstReady = now }
            ready += found
            if let limit = settings.maxFrames, processed + ready.count >= limit {
                let room = max(0, limit - processed)
                return room > 0 ? .frames(Array(ready.prefix(room))) : .stop("--max-frames \(limit) reached", signal: nil)
            }
            if ready.count >= cap { return .frames(ready) }
            if let firstReady, now - firstReady >= settings.epoch { return .frames(ready) }
            if let number = stopSignal() {
                return ready.isEmpty ? .stop("signal \(number)", signal: number) : .frames(ready)
            }
            if ready.isEmpty, let idle = settings.untilIdle, now - lastActivity >= idle {
                return .stop("idle for \(idle) s", signal: nil)
            }
            if ready.isEmpty && now - started >= settings.epoch { return .idle }
            // Files waiting to settle are looked at again soon; otherwise sleep until an event (or a poll is due).
            watcher.pause(watcher.waitingCount > 0 ? 0.02 : min(0.1, settings.epoch))
        }
    }
}
