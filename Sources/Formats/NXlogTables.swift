import Core
import Foundation
import HDF5

/// A table of values against time for ``NXlogTables``: time in Unix seconds and named float columns.
public struct TimedTable: Sendable {
    public var name: String
    public var time: [Double]
    public var columns: [(name: String, values: [Double])]

    public init(name: String, time: [Double], columns: [(name: String, values: [Double])]) {
        (self.name, self.time, self.columns) = (name, time, columns)
    }
}

/// A NeXus file of log tables and the table merged from them (`beamforge merge`'s `merged.h5`):
/// `/entry` (NXentry) holds one NXlog per log table (`time` in s since 1970-01-01T00:00:00Z, then one dataset per
/// column, its original name in `long_name`) and `merged` (NXdata) with the image of each row (`image`), its time,
/// and every merged column. Dataset names are the column names made valid NeXus names (``datasetName(_:)``).
public enum NXlogTables {
    /// Writes `logs` and `merged` (with `rowNames` naming merged's rows) to `path`, replacing it.
    /// - Throws: ``FormatError`` naming the file.
    public static func write(logs: [TimedTable], merged: TimedTable, rowNames: [String], creator: String,
                             to path: String) throws(FormatError) {
        do {
            let file = try File.create(path)
            defer { try? file.close() }
            try file.setAttribute("default", .string("entry"))
            try file.setAttribute("creator", .string(creator))
            try file.createGroup("/entry")
            try file.setAttribute("NX_class", .string("NXentry"), on: "/entry")
            try file.setAttribute("default", .string("merged"), on: "/entry")
            for log in logs {
                let group = "/entry/" + datasetName(log.name)
                try write(log, to: group, nxClass: "NXlog", file: file)
            }
            let group = "/entry/merged"
            try write(merged, to: group, nxClass: "NXdata", file: file)
            let width = max(1, rowNames.map(\.utf8.count).max() ?? 1)
            let images = try file.createDataset(group + "/image", type: .string(length: width), shape: [rowNames.count])
            try images.writeStrings(rowNames, rows: [0..<rowNames.count])
            if let first = merged.columns.first { try file.setAttribute("signal", .string(datasetName(first.name)), on: group) }
            try file.setAttribute("axes", .string("time"), on: group)
            try file.close()
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "\(error)")
        }
    }

    /// `name` as a NeXus field name (`[A-Za-z0-9_]([A-Za-z0-9_.]*[A-Za-z0-9_])?`, NeXus "Rules for naming"): every
    /// other character becomes `_`, runs of `_` collapse, and ends that are not letters, digits or `_` go:
    /// `Temp/C` → `Temp_C`, `Duration (Peak)` → `Duration_Peak`. The original name stays in `long_name`.
    public static func datasetName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let keep = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == ".")
            let next: Character = keep ? Character(scalar) : "_"
            if next == "_", out.hasSuffix("_") { continue }
            out.append(next)
        }
        while out.count > 1, out.hasSuffix("_") || out.hasSuffix(".") { out.removeLast() }
        while out.hasPrefix(".") { out.removeFirst() }
        return out.isEmpty ? "_" : out
    }

    private static func write(_ table: TimedTable, to group: String, nxClass: String, file: File) throws {
        try file.createGroup(group)
        try file.setAttribute("NX_class", .string(nxClass), on: group)
        let time = try file.createDataset(group + "/time", type: .float64, shape: [table.time.count])
        try time.write(table.time, rows: [0..<table.time.count])
        try time.setAttribute("units", .string("s"))
        try time.setAttribute("start", .string("1970-01-01T00:00:00Z"))
        var used: Set<String> = ["time", "image"]
        for column in table.columns {
            var name = datasetName(column.name)
            while used.contains(name) { name += "_" }
            used.insert(name)
            let dataset = try file.createDataset(group + "/" + name, type: .float64, shape: [column.values.count])
            try dataset.write(column.values, rows: [0..<column.values.count])
            try dataset.setAttribute("long_name", .string(column.name))
        }
    }
}
