/// A configuration value that makes no sense, named by its key path (e.g. `instruments.1.q_max`).
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The key path, dot-separated, with sequence indices as numbers.
    public let key: String
    /// What is wrong and what is allowed.
    public let message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}
