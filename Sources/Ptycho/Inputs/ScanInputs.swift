import Core
import Formats
import Foundation

/// A ptychography scan as ``PtychoIngestJob`` reads it: the frames (any registered frame format), their order,
/// the metadata in stored units and the detector's response, all checked against each other before any work.
public struct ScanInputs: Sendable {
    /// The frame files.
    public let frames: FrameInputs
    /// Frame k of the scan is frame `order[k]` of ``frames`` (the identity for one HDF5 stack; TIFFs are ordered
    /// by their CSV frame index).
    public let order: [Int]
    public let rows: Int
    public let columns: Int
    public let geometry: ScanGeometry
    /// Raw counts at or above this are saturated; nil when nothing is.
    public let saturation: Double?
    public let response: DetectorResponse

    /// The number of frames.
    public var frameCount: Int { order.count }

    /// The inputs as given; `order`, positions and exposures have one entry per frame.
    public init(frames: FrameInputs, order: [Int], rows: Int, columns: Int, geometry: ScanGeometry,
                saturation: Double?, response: DetectorResponse) {
        self.frames = frames
        self.order = order
        self.rows = rows
        self.columns = columns
        self.geometry = geometry
        self.saturation = saturation
        self.response = response
    }

    /// The saturation level: `sat` when given, else the maximum of an unsigned integer stored type.
    static func saturationLevel(_ given: Double?, stored: ElementType?) -> Double? {
        if let given { return given }
        switch stored {
        case .uint8?: return 255
        case .uint16?: return 65535
        case .uint32?: return 4_294_967_295
        default: return nil
        }
    }

    /// The mean of `stack` (frames × `rows` × `columns`, or one frame) over its frames.
    /// - Throws: ``ConfigError`` at `key` when its frames are not `rows` × `columns`.
    static func meanFrame(_ stack: StoredValues, rows: Int, columns: Int, key: String, source: String) throws(ConfigError) -> [Double] {
        let shape = stack.shape
        guard shape.count >= 2, shape[shape.count - 2] == rows, shape[shape.count - 1] == columns else {
            throw ConfigError(key: key, "\(source) has shape \(shape); frames of \(rows) × \(columns) expected")
        }
        let n = rows * columns, count = stack.values.count / n
        guard count > 0 else { throw ConfigError(key: key, "\(source) holds no frames") }
        var mean = [Double](repeating: 0, count: n)
        for k in 0..<count { for i in 0..<n { mean[i] += stack.values[k * n + i] } }
        return mean.map { $0 / Double(count) }
    }

    /// The mean frame of `inputs`, read one frame at a time and summed in frame order (as the stack's mean).
    /// - Throws: ``ConfigError`` at `key` when its frames are not `rows` × `columns` or cannot be read.
    static func meanFrame(_ inputs: FrameInputs, rows: Int, columns: Int, key: String,
                          source: String) throws(ConfigError) -> [Double] {
        let size: (rows: Int, columns: Int)
        do { size = try inputs.firstFrameSize() } catch { throw ConfigError(key: key, "\(error)") }
        guard size == (rows, columns) else {
            throw ConfigError(key: key, "\(source) has frames of \(size.rows) × \(size.columns); frames of \(rows) × "
                              + "\(columns) expected")
        }
        var sum = [Double](repeating: 0, count: rows * columns)
        for f in 0..<inputs.count {
            let frame: [Float]
            do { frame = try readFrame(inputs, f, rows: rows, columns: columns) } catch { throw ConfigError(key: key, "\(error)") }
            for i in sum.indices { sum[i] += Double(frame[i]) }
        }
        return sum.map { $0 / Double(inputs.count) }
    }

    /// All frames of the file `path` (any registered frame format), as a ``StoredValues`` stack.
    static func framesOf(_ path: String, key: String, rows: Int, columns: Int) throws(ConfigError) -> StoredValues {
        do {
            let inputs = try FrameInputs([path], dataPath: nil)
            var values: [Double] = []
            for f in 0..<inputs.count { values += try readFrame(inputs, f, rows: rows, columns: columns).map(Double.init) }
            return StoredValues(values: values, shape: [inputs.count, rows, columns], units: nil)
        } catch {
            throw ConfigError(key: key, "\(error)")
        }
    }

    /// Frame `f` of `inputs` as float32.
    static func readFrame(_ inputs: FrameInputs, _ f: Int, rows: Int, columns: Int) throws -> [Float] {
        let (file, index) = inputs.frames[f]
        var buffer = [Float](repeating: 0, count: rows * columns)
        try buffer.withUnsafeMutableBytes { raw in
            var bytes = raw.mutableBytes
            _ = try inputs.files[file].read(frames: index..<index + 1, as: .float32, rows: rows, columns: columns,
                                            into: &bytes)
        }
        return buffer
    }
}
