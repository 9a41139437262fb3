/// A file that cannot be read or written in its format.
public struct FormatError: Error, CustomStringConvertible, Sendable {
    /// The file at fault, when there is one.
    public let file: String?
    /// What is wrong.
    public let message: String

    /// An error of `file` (nil when there is none) saying `message`.
    public init(file: String?, message: String) {
        self.file = file
        self.message = message
    }

    /// The message, prefixed by the file when there is one.
    public var description: String { file.map { "\($0): \(message)" } ?? message }
}
