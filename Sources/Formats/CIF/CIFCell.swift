import Core
import Foundation

/// The unit cell a CIF file states: `_cell_length_a`, `_cell_length_b`, `_cell_length_c` (Å) and `_cell_angle_alpha`,
/// `_cell_angle_beta`, `_cell_angle_gamma` (degrees), each a tag and its value on one line; a standard uncertainty in
/// parentheses (`5.431(2)`) is dropped. Only the first data block's first value of each tag is read.
public struct CIFCell: Sendable, Equatable {
    /// a, b, c in Å, α, β, γ in degrees.
    public var values: [Double]

    static let tags = ["_cell_length_a", "_cell_length_b", "_cell_length_c",
                       "_cell_angle_alpha", "_cell_angle_beta", "_cell_angle_gamma"]

    /// Reads the cell of the CIF file at `path`.
    /// - Throws: ``FormatError`` naming the file and the tag missing or not a number.
    public init(contentsOf path: String) throws(FormatError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FormatError(file: path, message: "cannot read it as a CIF file")
        }
        try self.init(text: text, source: path)
    }

    /// Reads the cell from CIF `text`; `source` names it in errors.
    public init(text: String, source: String) throws(FormatError) {
        var found: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let tag = fields.first.map({ $0.lowercased() }), Self.tags.contains(tag),
                  found[tag] == nil else { continue }
            found[tag] = String(fields[1])
        }
        var values: [Double] = []
        for tag in Self.tags {
            guard let text = found[tag] else {
                throw FormatError(file: source, message: "no \(tag) line (a CIF cell needs "
                                  + Self.tags.joined(separator: ", ") + ")")
            }
            let number = text.split(separator: "(", maxSplits: 1).first.map(String.init) ?? text
            guard let value = Double(number), value.isFinite else {
                throw FormatError(file: source, message: "\(tag) '\(text)' is not a number")
            }
            values.append(value)
        }
        self.values = values
    }
}
