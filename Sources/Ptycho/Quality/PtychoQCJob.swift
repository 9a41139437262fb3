import Batch
import Core
import Formats
import Foundation

/// `beamforge ptycho-qc`: unsupervised quality control of the positions of an ingested ptychography scan (or any
/// CXI file): per-position features, a robust outlier score in [0, 1] and accept/reject lists.
///
/// The features are computed in ``prepare(_:)`` over fixed blocks of positions spread across the ranks (each
/// reads only its blocks' patterns, one at a time) and given to every rank; the PCA covariance is summed per block
/// and the blocks added in order, and the medians and MADs are taken over all positions, so every value is the same
/// for any number of ranks. Items are positions; each writes its features, score and verdict to `/qc`.
public struct PtychoQCJob: Job {
    public let name = "qc"
    public let settings: PtychoQCSettings
    let frames: FrameInputs
    let valid: FrameInputs?
    /// The static bad pixels of the scored patterns (``view``), nil when there are none.
    let staticBad: [Bool]?
    /// The stored patterns' rows and columns.
    public let storedRows: Int
    public let storedColumns: Int
    /// What of each stored pattern is scored (a centred window, binned).
    public let view: PatternView
    public let x: [Double]
    public let y: [Double]
    public let distanceM: Double
    /// The scored patterns' pixel size (m): the stored one times `bin`.
    public let pixelM: Double
    /// The features `ptycho-ingest --qc` computed while ingesting (``FrameFeatures/stored`` and the embedding of
    /// every position, row-major), used instead of reading the patterns; nil to compute them.
    let storedFeatures: (features: [Double], embeddings: [Double])?
    /// Every position's features and verdict, from ``prepare(_:)``.
    public internal(set) var table: QCTable?

    /// Opens and checks the input's datasets; with `storedFeatures` (the group of an ingested file holding
    /// `qc_features` and `qc_embedding`, as `ptycho-ingest --qc` writes them) the features are read from there.
    /// - Throws: ``ConfigError`` naming the key and the file (a missing dataset lists what the file holds).
    public init(settings s: PtychoQCSettings, storedFeatures group: String? = nil) throws(ConfigError) {
        settings = s
        let frames: FrameInputs
        do {
            frames = try FrameInputs([s.input], dataPath: s.dataPath)
            (storedRows, storedColumns) = try frames.firstFrameSize()
        } catch { throw ConfigError(key: "data_path", "\(error)") }
        self.frames = frames
        let (rows, columns) = (storedRows, storedColumns)
        let window = s.roi ?? (rows, columns)
        guard window.rows % s.bin == 0, window.columns % s.bin == 0 else {
            throw ConfigError(key: "bin", "\(s.input): the \(window.rows) × \(window.columns) patterns are not a "
                              + "multiple of bin \(s.bin) along both sides: give an roi that is")
        }
        view = PatternView(rows: rows, columns: columns, roi: s.roi, bin: s.bin)
        let n = frames.count
        func values(_ path: String, key: String) throws(ConfigError) -> StoredValues {
            do { return try StoredValues(dataset: path, in: s.input) } catch { throw ConfigError(key: key, "\(error)") }
        }
        x = try DatasetColumn(parsing: s.positionXPath, key: "pos_x_path").values(in: s.input, key: "pos_x_path")
        y = try DatasetColumn(parsing: s.positionYPath, key: "pos_y_path").values(in: s.input, key: "pos_y_path")
        for (key, v) in [("pos_x_path", x), ("pos_y_path", y)] where v.count != n {
            throw ConfigError(key: key, "\(s.input): \(v.count) positions for \(n) patterns")
        }
        func scalar(_ path: String, key: String) throws(ConfigError) -> Double {
            let v = try values(path, key: key).values
            guard let first = v.first, first > 0, first.isFinite else {
                throw ConfigError(key: key, "\(s.input): \(path) must hold a length > 0 in m")
            }
            return first
        }
        distanceM = try scalar(s.distancePath, key: "distance_path")
        pixelM = try scalar(s.pixelSizePath, key: "pixel_size_path") * Double(s.bin)
        func present(_ given: String?, _ fallback: String) -> String? {
            given ?? ((try? StoredValues.shape(of: fallback, in: s.input)) != nil ? fallback : nil)
        }
        if let path = present(s.maskPath, "/entry_1/instrument_1/detector_1/mask") {
            let mask = try values(path, key: "mask_path")
            guard mask.values.count == rows * columns else {
                throw ConfigError(key: "mask_path", "\(s.input): \(path) has shape \(mask.shape); \(rows) × \(columns) expected")
            }
            staticBad = view.staticBad(mask.values.map { $0 != 0 })
        } else { staticBad = view.staticBad(nil) }
        if let path = present(s.validPath, "/entry_1/ptypy/mask_valid") {
            let inputs: FrameInputs
            let size: (rows: Int, columns: Int)
            do {
                inputs = try FrameInputs([s.input], dataPath: path)
                size = try inputs.firstFrameSize()
            } catch { throw ConfigError(key: "valid_path", "\(error)") }
            guard inputs.count == n, size == (rows, columns) else {
                throw ConfigError(key: "valid_path", "\(s.input): \(path) holds \(inputs.count) masks of \(size.rows) × "
                                  + "\(size.columns); \(n) of \(rows) × \(columns) expected")
            }
            valid = inputs
        } else { valid = nil }
        if let group {
            let d = s.embedSide * s.embedSide, width = FrameFeatures.storedColumns.count
            let features = try values(group + "/qc_features", key: "qc"), embeddings = try values(group + "/qc_embedding", key: "qc")
            guard features.shape == [n, width], embeddings.shape == [n, d], s.roi == nil, s.bin == 1 else {
                throw ConfigError(key: "qc", "\(s.input): \(group)/qc_features \(features.shape) and qc_embedding "
                                  + "\(embeddings.shape) do not fit \(n) positions of \(width) features and \(d) embedding values")
            }
            storedFeatures = (features.values, embeddings.values)
        } else { storedFeatures = nil }
    }

    /// The number of positions.
    public var itemCount: Int { frames.count }

    /// The scored patterns' rows and columns.
    public var rows: Int { view.rows }
    public var columns: Int { view.columns }

    /// One pattern, its valid mask and their features.
    public var workingBytesPerItem: Int { storedRows * storedColumns * 9 }

    /// Every position's features and embedding, and the PCA sums of the blocks.
    public var residentBytes: Int {
        let d = settings.embedSide * settings.embedSide
        return itemCount * (QCTable.columns.count + d) * 8 + Self.blockCount(itemCount) * (d + d * d) * 8
    }

    /// Blocks the positions are read and summed in: a fixed number, so that sums do not depend on the rank count.
    static func blockCount(_ n: Int) -> Int { max(1, min(n, 32)) }
}
