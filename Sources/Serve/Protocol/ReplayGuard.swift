/// SAXSDog's time window, and what SAXSDog lacks: a memory of the (time, sign) pairs accepted within it, so that a
/// request captured on the wire cannot be sent again. A client signs every request with a fresh `time.time()`, so
/// SAXSDog's own leash and GUI never repeat a pair.
public struct ReplayGuard: Sendable {
    /// Requests whose time is this many seconds or more from the server's clock are refused (SAXSDog: `< 900`).
    public static let window = 900.0
    private var seen: [String: Double] = [:]

    public init() {}

    /// Whether `time` lies inside the window around `now` (SAXSDog's `abs(time - now) < 900`).
    public static func isTimely(_ time: Double, now: Double) -> Bool { abs(time - now) < window }

    /// Whether the pair (`time`, `sign`) of a timely, validly signed request is new at `now`; a new pair is
    /// remembered until it leaves the window.
    public mutating func admit(time: Double, sign: String, now: Double) -> Bool {
        if seen.count >= 1024 { seen = seen.filter { Self.isTimely($0.value, now: now) } }
        let key = "\(time.bitPattern) \(sign)"
        guard seen[key] == nil else { return false }
        seen[key] = time
        return true
    }
}
