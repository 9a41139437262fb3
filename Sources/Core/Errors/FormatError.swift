/// A file that cannot be read or written in its format.
public struct FormatError: Error, CustomStringConvertible, Sendable {
    /// The file at fault, when there is one.
    public let file: String?
    /// What is wrong.
    public let message: String

    public init(file: String?, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.map { "\($0): \(message)" } ?? message }
}
