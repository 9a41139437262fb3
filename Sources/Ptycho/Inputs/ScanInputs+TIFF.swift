import Core
import Formats
import Foundation

extension ScanInputs {
    /// Reads a numbered TIFF series (`pattern`, frame number = the last number in each name) with its EPICS CSV,
    /// matched by `frame_index` one to one: a CSV row without a file, a file without a row, or an index twice is
    /// refused, naming them. Frames are taken in frame-index order. Energy, distance and pixel size come from the
    /// CSV (one value per scan) unless given on the command line.
    /// - Throws: ``ConfigError`` naming the key and file at fault.
    public init(tiffs s: PtychoSettings) throws(ConfigError) {
        guard let pattern = s.pattern, let csv = s.csv else {
            throw ConfigError(key: "csv", "a TIFF pattern needs its EPICS CSV (csv)")
        }
        let series: NumberedFiles
        do { series = try NumberedFiles(pattern: pattern) } catch { throw ConfigError(key: "pattern", "\(error)") }
        let table = try EpicsTable(path: csv)
        let numbers = Set(series.files.map(\.number)), indices = Set(table.rows.keys)
        let missing = indices.subtracting(numbers), extra = series.files.filter { !indices.contains($0.number) }
        guard missing.isEmpty else {
            throw ConfigError(key: "pattern", "\(csv): frame_index \(EpicsTable.list(Array(missing))) has no file "
                              + "matching \(pattern)")
        }
        guard extra.isEmpty else {
            throw ConfigError(key: "csv", "\(csv) has no row for frame_index \(EpicsTable.list(extra.map(\.number))) "
                              + "(\((extra[0].path as NSString).lastPathComponent)\(extra.count > 1 ? ", …" : ""))")
        }
        let frames: FrameInputs
        let size: (rows: Int, columns: Int)
        let stored: ElementType?
        do {
            frames = try FrameInputs(series.files.map(\.path), dataPath: nil)
            size = try frames.firstFrameSize()
            stored = try Self.storedType(frames, rows: size.rows, columns: size.columns)
        } catch { throw ConfigError(key: "pattern", "\(error)") }
        // One frame per file: the CSV has one row per file.
        if let many = frames.files.first(where: { $0.frameCount != 1 }) {
            throw ConfigError(key: "pattern", "\(many.path) holds \(many.frameCount) frames; a TIFF series has one "
                              + "frame per file (one CSV row each)")
        }
        let rows = series.files.map { table.rows[$0.number]! }
        func constant(_ column: String, _ given: QuantitySource?, key: String, kind: Quantity.Kind) throws(ConfigError) -> Double {
            if let given { return try Self.quantity(given, key: key, kind: kind, in: csv) }
            let values = rows.map { $0[column]! }
            guard values.allSatisfy({ $0 == values[0] }) else {
                throw ConfigError(key: "csv", "\(csv): \(column) varies over the scan; one value per scan is supported")
            }
            return values[0]
        }
        let geometry = ScanGeometry(
            x: rows.map { $0["posx_m"]! * s.positionScale }, y: rows.map { $0["posy_m"]! * s.positionScale },
            energyEV: try constant("energy_eV", s.energy, key: "energy", kind: .energy),
            distanceM: try constant("det_dist_m", s.distance, key: "distance", kind: .length),
            pixelM: try constant("pixel_m", s.pixelSize, key: "pixel_size", kind: .length),
            exposureS: s.exposure.map { Array(repeating: $0, count: rows.count) } ?? rows.map { $0["exposure_s"]! })
        let response = try Self.response(s, rows: size.rows, columns: size.columns)
        try self.init(checking: frames, order: Array(0..<frames.count), rows: size.rows, columns: size.columns,
                      geometry: geometry, settings: s, response: response, storedType: stored)
    }

    /// The stored type of the first frame (read once where the format does not say without reading).
    static func storedType(_ frames: FrameInputs, rows: Int, columns: Int) throws -> ElementType? {
        if let known = frames.file(of: 0).storedType { return known }
        var buffer = [Float](repeating: 0, count: rows * columns)
        let (file, index) = frames.frames[0]
        return try buffer.withUnsafeMutableBytes { raw in
            var bytes = raw.mutableBytes
            return try frames.files[file].read(frames: index..<index + 1, as: .float32, rows: rows, columns: columns,
                                               into: &bytes)
        }
    }
}
