import Core
import Formats

/// A 1-D dataset of one value per position, or one column of a 2-D dataset written `PATH[:,K]` (a CXI
/// `translation` (N, 3) holds x in column 0 and y in column 1: `/entry_1/sample_1/geometry_1/translation[:,0]`).
public struct DatasetColumn: Sendable, Equatable {
    /// The dataset.
    public let path: String
    /// The column of a 2-D dataset; nil for a 1-D one.
    public let column: Int?

    /// Parses `PATH` or `PATH[:,K]`.
    /// - Throws: ``ConfigError`` at `key` when the brackets hold anything else.
    public init(parsing text: String, key: String) throws(ConfigError) {
        guard text.hasSuffix("]"), let open = text.lastIndex(of: "[") else { (path, column) = (text, nil); return }
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)].replacingOccurrences(of: " ", with: "")
        guard inside.hasPrefix(":,"), let k = Int(inside.dropFirst(2)), k >= 0 else {
            throw ConfigError(key: key, "'\(text)': select a column as PATH[:,K] (e.g. …/translation[:,0])")
        }
        (path, column) = (String(text[..<open]), k)
    }

    /// The values in `file`: the whole 1-D dataset, or its column.
    /// - Throws: ``ConfigError`` at `key` when the dataset is missing (listing what the file holds), has another
    ///   rank, or lacks the column.
    public func values(in file: String, key: String) throws(ConfigError) -> [Double] {
        let stored: StoredValues
        do { stored = try StoredValues(dataset: path, in: file) } catch { throw ConfigError(key: key, "\(error)") }
        let shape = stored.shape
        guard let column else {
            if shape.count >= 2, shape.dropFirst().contains(where: { $0 > 1 }) {
                throw ConfigError(key: key, "\(file): \(path) has shape \(shape); select a column: \(path)[:,0]")
            }
            return stored.values
        }
        guard shape.count == 2, column < shape[1] else {
            throw ConfigError(key: key, "\(file): \(path) has shape \(shape); column \(column) of an (N, columns) "
                              + "dataset expected")
        }
        return (0..<shape[0]).map { stored.values[$0 * shape[1] + column] }
    }
}
