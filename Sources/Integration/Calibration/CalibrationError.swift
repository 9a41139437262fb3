/// A calibration that cannot be used; the message names the file and the field.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ file: String, _ message: String) { description = "\(file): \(message)" }
}
