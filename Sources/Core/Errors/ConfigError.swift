/// A configuration value that makes no sense, named by its key path (e.g. `instruments.1.q_max`) or by the flag
/// that set it (`--calibration`), and by the file it came from where that helps. The only error type of
/// configuration checks: every config struct's `validate() throws(ConfigError)` and the CLI's decoding report
/// with it, and the message reaches the user as one line, `[source: ]key: message`.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The key path, dot-separated, with sequence indices as numbers; a flag; or empty when the whole document
    /// is at fault (an unreadable file).
    public let key: String
    /// What is wrong and what is allowed.
    public let message: String
    /// The configuration file or option the key was read from, if the message should name it.
    public let source: String?

    /// An error at `key` saying `message`, naming the file or option `source` it came from when given.
    public init(key: String, _ message: String, source: String? = nil) {
        self.key = key
        self.message = message
        self.source = source
    }

    /// A problem of the whole document or command line, with no single key at fault.
    public init(_ message: String) {
        self.init(key: "", message)
    }

    /// The same error, naming `source` (kept if it already names one).
    public func located(in source: String) -> ConfigError {
        ConfigError(key: key, message, source: self.source ?? source)
    }

    /// The one-line message, `[source: ]key: message`.
    public var description: String {
        (source.map { "\($0): " } ?? "") + (key.isEmpty ? "" : "\(key): ") + message
    }
}
