import Core
import Foundation
import HDF5

/// The header an ESRF ID02 (LImA) HDF5 file keeps beside its frames (docs/reference/orientation.md §1.1): the
/// datasets of `/<entry>/instrument/<detector>/header/` (`PSize_1`, `PSize_2`, `Center_1`, `Center_2` as byte
/// strings, `WaveLength` and `SampleDistance` in m as numbers or strings, `Title`, …) and `/<entry>/end_time`.
/// Values are kept as text: strings as stored, numbers in Swift's shortest exact form.
public struct ID02Header: Sendable, Equatable {
    /// Header values by key.
    public let values: [String: String]
    /// The header group's path, for messages.
    public let group: String
    /// `/<entry>/end_time`, when present (`YYYY-MM-DDTHH:MM:SSZ` or with a fraction / offset).
    public let endTime: String?

    /// Reads the header of the entry that holds `dataset` (its first path component, e.g. `entry_0000`).
    /// - Throws: ``FormatError`` naming the file when it has no `instrument/*/header` group, listing what it has.
    public init(path: String, dataset: String) throws(FormatError) {
        let entry = "/" + (dataset.split(separator: "/").first.map(String.init) ?? "entry_0000")
        let file: File
        do { file = try File.open(path) } catch { throw FormatError(file: path, message: "cannot open as HDF5: \(error)") }
        defer { try? file.close() }
        let listing: [(path: String, shape: [Int])]
        do { listing = try file.datasetList() } catch { throw FormatError(file: path, message: "\(error)") }
        let prefix = entry + "/instrument/"
        var values: [String: String] = [:], group: String?
        for item in listing where item.path.hasPrefix(prefix) && item.shape.isEmpty {
            let parts = item.path.dropFirst(prefix.count).split(separator: "/")
            guard parts.count == 3, parts[1] == "header" else { continue }
            let where_ = prefix + parts[0] + "/header"
            if group == nil { group = where_ }
            guard group == where_ else { continue }
            values[String(parts[2])] = try Self.text(file, item.path)
        }
        guard let group else {
            throw FormatError(file: path, message: "no ID02 header group \(prefix)<detector>/header; "
                              + file.datasetSummary())
        }
        self.values = values
        self.group = group
        let end = entry + "/end_time"
        endTime = listing.contains { $0.path == end } ? try Self.text(file, end) : nil
    }

    /// A scalar dataset as text.
    private static func text(_ file: File, _ name: String) throws(FormatError) -> String {
        do {
            let dataset = try file.openDataset(name)
            if case .string = dataset.type {
                return (try dataset.readStrings().first ?? "").trimmingCharacters(in: .whitespaces)
            }
            guard let value = try dataset.readAllDoubles().first else { return "" }
            return "\(value)"
        } catch {
            throw FormatError(file: file.path, message: "cannot read \(name): \(error)")
        }
    }
}
