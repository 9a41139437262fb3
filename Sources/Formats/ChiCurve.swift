import Core
import Foundation

/// A curve read from a `.chi` text file: new and old SAXSDog files and Fit2D's, with 2 or 3 columns.
///
/// The rules are numpy's `loadtxt(path, skiprows=4)`, which SAXSDog's plotchi uses (live-integration.md §4.2):
/// the first four lines are the header whatever they hold (SAXSDog's calibration JSON, integral parameters, labels
/// and row count; Fit2D's title, axis names, an empty line and the count), then every line holds the same number
/// of numbers separated by white space; empty lines and text after `#` are ignored, and a line may end in CRLF.
/// Hand-written because it is a dozen lines of splitting; Foundation's `Scanner` would add nothing.
public struct ChiCurve: Equatable, Sendable {
    /// Lines before the data, as `loadtxt(skiprows=4)` skips them.
    public static let headerLines = 4
    /// The most rows a curve may have (10^7: ten times a 2-D detector's pixel count along a diagonal, far above any
    /// integration's bins), so that a huge file is refused before its values are held.
    public static let maximumRows = 10_000_000

    /// The first column: q (nm⁻¹), 2θ or φ, as the file's header says.
    public let x: [Double]
    /// The second column.
    public let intensity: [Double]
    /// The third column (the error margin) when the file has one.
    public let error: [Double]?

    /// A curve of `x`, `intensity` and optionally `error`, all of one length.
    public init(x: [Double], intensity: [Double], error: [Double]?) {
        precondition(x.count == intensity.count && (error?.count ?? x.count) == x.count, "columns of one length")
        (self.x, self.intensity, self.error) = (x, intensity, error)
    }
}

extension ChiCurve {
    /// Reads `path`; errors name the file and the line at fault.
    public init(contentsOf path: String) throws(FormatError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(file: path, message: "cannot read the .chi file")
        }
        try self.init(data: data, file: path)
    }

    /// Parses the bytes of a `.chi` file; `file` names it in errors.
    public init(data: Data, file: String = "<data>") throws(FormatError) {
        var columns: [[Double]] = []
        var lineNumber = 0
        for rawLine in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard lineNumber > Self.headerLines else { continue }
            let content = rawLine.prefix { $0 != UInt8(ascii: "#") }
            let tokens = content.split { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
            if tokens.isEmpty { continue }
            if columns.isEmpty {
                guard tokens.count == 2 || tokens.count == 3 else {
                    throw FormatError(file: file, message:
                        "line \(lineNumber) has \(tokens.count) column\(tokens.count == 1 ? "" : "s"), not 2 or 3")
                }
                columns = Array(repeating: [], count: tokens.count)
            }
            guard tokens.count == columns.count else {
                throw FormatError(file: file, message:
                    "line \(lineNumber) has \(tokens.count) columns where the first data line has \(columns.count)")
            }
            guard columns[0].count < Self.maximumRows else {
                throw FormatError(file: file, message: "more than \(Self.maximumRows) data lines")
            }
            for (c, token) in tokens.enumerated() {
                guard let value = Self.number(token) else {
                    throw FormatError(file: file, message: "line \(lineNumber): '\(String(decoding: token, as: UTF8.self))' is not a number")
                }
                columns[c].append(value)
            }
        }
        guard !columns.isEmpty else {
            throw FormatError(file: file, message: "no data lines after the \(Self.headerLines) header lines")
        }
        self.init(x: columns[0], intensity: columns[1], error: columns.count == 3 ? columns[2] : nil)
    }

    /// A decimal number as Python's `float()` reads one (`nan`, `inf`, exponents); hexadecimal floats, which Swift
    /// would accept, are refused as Python refuses them.
    static func number(_ token: some Collection<UInt8>) -> Double? {
        guard token.count <= 64 else { return nil }
        let text = String(decoding: token, as: UTF8.self)
        if text.lowercased().contains("x") { return nil }
        return Double(text)
    }
}
