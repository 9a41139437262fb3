import Foundation
import POSIX

/// Rank 0's progress display: a live bar on a terminal, a line every `logInterval` seconds otherwise (job logs:
/// 60 s by default, a few hundred lines for a day's run), and one at the end.
struct Progress {
    private let total: Int
    private let startDone: Int
    private let start: Double
    private let isTerminal: Bool
    private let interval: Double
    private var lastShown: Double
    private let enabled: Bool

    init(total: Int, alreadyDone: Int, enabled: Bool, now: Double, logInterval: Double? = nil) {
        self.total = total
        self.startDone = alreadyDone
        self.start = now
        self.lastShown = now
        self.enabled = enabled
        self.isTerminal = Terminal.standardErrorIsInteractive
        self.interval = isTerminal ? 0.2 : logInterval ?? 60
    }

    /// Shows progress if enough time has passed since the last display (or `force`).
    mutating func update(done: Int, now: Double, force: Bool = false) {
        guard enabled, force || now - lastShown >= interval else { return }
        lastShown = now
        let elapsed = now - start
        let computed = done - startDone
        let rate = elapsed > 0 ? Double(computed) / elapsed : 0
        let remaining = total - done
        let eta = rate > 0 ? Double(remaining) / rate : .infinity
        let percent = total > 0 ? 100 * Double(done) / Double(total) : 100
        let stats = "\(done)/\(total) items (\(Self.fixed(percent, 1))%), \(Self.fixed(rate, 1)) items/s, "
            + "elapsed \(Self.duration(elapsed)), ETA \(Self.duration(eta))"
        if isTerminal {
            let width = 30
            let filled = total > 0 ? min(width, width * done / total) : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let end = force ? "\n" : ""
            FileHandle.standardError.write(Data("\r[\(bar)] \(stats)\u{1B}[K\(end)".utf8))
        } else {
            FileHandle.standardError.write(Data("beamforge[0] progress: \(stats)\n".utf8))
        }
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        let scale = pow(10.0, Double(digits))
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
