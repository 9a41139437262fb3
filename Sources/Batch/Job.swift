import Core
import HDF5

/// Element types and attribute values of output datasets (the HDF5 wrapper's value types; jobs never see HDF5).
public typealias ElementType = HDF5.ElementType
public typealias AttributeValue = HDF5.AttributeValue

/// A unit of batch work: an index space of items, each produced independently.
///
/// A job is pure: ``produce(item:context:)`` computes one item from the configuration, its index and its random
/// streams, with no I/O and no MPI. The ``Runner`` does everything else: partitioning across ranks, batching,
/// collective writes to `<name>.h5`, the metadata CSV, global statistics, progress, resume and failure handling.
///
/// ```swift
/// struct Squares: Job {
///     let name = "squares"
///     let itemCount = 1000
///     let outputs = [OutputSpec("value", type: .float64)]
///     let metadataColumns = ["index"]
///     func produce(item: Int, context: ItemContext) throws -> ItemOutput {
///         ItemOutput(values: ["value": .float64([Double(item * item)])], metadata: ["\(item)"])
///     }
/// }
/// ```
public protocol Job: Sendable {
    /// The name of the output file stem and HDF5 group, e.g. `saxs` → `saxs.h5` with datasets under `/saxs`.
    var name: String { get }
    /// The number of items.
    var itemCount: Int { get }
    /// The per-item datasets.
    var outputs: [OutputSpec] { get }
    /// Attributes of the job's group (constants such as geometry or class names).
    var groupAttributes: [String: AttributeValue] { get }
    /// The header of the metadata CSV; each item returns one field per column.
    var metadataColumns: [String] { get }
    /// Datasets whose global statistics the runner computes after all items are written.
    var statistics: [StatisticsSpec] { get }
    /// Working memory of one item beyond its outputs, in bytes (for the plan's memory estimate).
    var workingBytesPerItem: Int { get }
    /// Subgroups of the job's group, created with their attributes before the outputs (an output named
    /// `sasdata01/I` lands in the subgroup `sasdata01`).
    var subgroups: [GroupSpec] { get }
    /// Datasets that do not vary by item (an axis such as Q, a title), written once when the output is created;
    /// `timestamp` is the run's (ISO 8601, UTC), the same on every rank.
    func constants(timestamp: String) -> [ConstantSpec]
    /// Computes one item.
    /// - Throws: any error; the runner reports it with the item index and stops the whole run.
    func produce(item: Int, context: ItemContext) throws -> ItemOutput
    /// Computes the items of one batch on this rank, in the order given. Implement it when items share work
    /// (one pass of an integration matrix over a block of detector frames); the default calls
    /// ``produce(item:context:)`` for each.
    /// - Throws: ``ItemFailure`` to name the item at fault; any other error is reported for the whole batch.
    func produce(batch: [ItemContext]) throws -> [ItemOutput]
    /// Outputs the runner reads back item by item, once the statistics are known, for
    /// ``finish(item:values:statistics:)``; none by default.
    var finishingOutputs: [String] { get }
    /// Files made from an item's stored values and the dataset-wide statistics (images scaled to the global
    /// range, so that nothing is quantised twice). Called for every item after each complete run, resumed or not.
    func finish(item: Int, values: [String: Values], statistics: [String: [RunningStatistics]]) throws -> [ItemFile]
}

extension Job {
    public var groupAttributes: [String: AttributeValue] { [:] }
    public var statistics: [StatisticsSpec] { [] }
    public var workingBytesPerItem: Int { 0 }
    public var subgroups: [GroupSpec] { [] }
    public func constants(timestamp: String) -> [ConstantSpec] { [] }
    public var finishingOutputs: [String] { [] }
    public func finish(item: Int, values: [String: Values],
                       statistics: [String: [RunningStatistics]]) throws -> [ItemFile] { [] }

    public func produce(batch: [ItemContext]) throws -> [ItemOutput] {
        try batch.map { context in
            do { return try produce(item: context.item, context: context) } catch {
                throw ItemFailure(item: context.item, underlying: error)
            }
        }
    }
}

/// An error of one item of a batch.
public struct ItemFailure: Error, CustomStringConvertible {
    public var item: Int
    public var underlying: any Error

    public init(item: Int, underlying: any Error) {
        self.item = item
        self.underlying = underlying
    }

    public var description: String { "\(underlying)" }
}

/// A subgroup of the job's group: its path relative to the group (`sasdata01`) and attributes.
public struct GroupSpec: Sendable {
    public var path: String
    public var attributes: [String: AttributeValue]

    public init(_ path: String, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.attributes = attributes
    }
}

/// A dataset written once, not per item: a scalar string, or numbers of a given shape.
public struct ConstantSpec: Sendable {
    /// The path relative to the job's group.
    public var path: String
    /// `.string` for a scalar text field, numbers otherwise (`shape` elements).
    public var values: Values
    /// The extent; `[]` for a scalar.
    public var shape: [Int]
    public var attributes: [String: AttributeValue]

    public init(_ path: String, _ values: Values, shape: [Int]? = nil, attributes: [String: AttributeValue] = [:]) {
        self.path = path
        self.values = values
        self.shape = shape ?? (values.count == 1 ? [] : [values.count])
        self.attributes = attributes
    }
}

/// A per-item output dataset: the file holds `itemCount × itemShape` elements at `/<job>/<name>`.
public struct OutputSpec: Sendable {
    public var name: String
    public var type: ElementType
    /// The shape of one item's value; `[]` for a scalar per item.
    public var itemShape: [Int]
    public var attributes: [String: AttributeValue]
    /// The HDF5 chunk within one item (e.g. one sinogram of a tomogram), or nil for the run's default (contiguous,
    /// or `chunk_items` items per chunk when compressing). A chunk never spans items.
    public var chunk: [Int]?

    public init(_ name: String, type: ElementType, itemShape: [Int] = [], attributes: [String: AttributeValue] = [:],
                chunk: [Int]? = nil) {
        self.name = name
        self.type = type
        self.itemShape = itemShape
        self.attributes = attributes
        self.chunk = chunk
    }

    /// Elements per item.
    public var elementsPerItem: Int { itemShape.reduce(1, *) }

    /// Bytes per item in the file.
    public var bytesPerItem: Int {
        if case .string = type { return type.size }
        return elementsPerItem * type.size
    }
}

/// Runs of consecutive items summarised separately (the sinograms of one scan), leaving out `margin` items at
/// each end of every run when a run is longer than 2·margin (edge rows of a detector).
public struct ItemGroups: Sendable, Equatable {
    public var size: Int
    public var margin: Int

    public init(size: Int, margin: Int) {
        self.size = size
        self.margin = margin
    }

    /// The group of `item`, or nil when it lies in a margin.
    public func group(of item: Int) -> Int? {
        let position = item % size
        if size > 2 * margin && (position < margin || position >= size - margin) { return nil }
        return item / size
    }
}

/// Global statistics of one dataset, computed over all items after they are written.
public struct StatisticsSpec: Sendable, Equatable {
    public enum Transform: String, Sendable { case identity, log10 }

    /// The output dataset's name.
    public var dataset: String
    /// One summary per element of the item shape (e.g. per q bin) instead of one for all values.
    public var perFeature: Bool
    /// Applied to each value first; `log10` skips values ≤ 0.
    public var transform: Transform
    /// Summarise each item while it is produced, keep the summaries in the file (`/stats/<name>/items`) and merge
    /// them in item order at the end, instead of reading the dataset back: for items too large to re-read (a
    /// tomogram is 150 MB). Not with `perFeature`.
    public var byItem: Bool
    /// One summary per group of items instead of one for all (with `byItem` only).
    public var groups: ItemGroups?

    public init(dataset: String, perFeature: Bool = false, transform: Transform = .identity, byItem: Bool = false,
                groups: ItemGroups? = nil) {
        self.dataset = dataset
        self.perFeature = perFeature
        self.transform = transform
        self.byItem = byItem
        self.groups = groups
    }

    /// The name of the result: the dataset's, with `_log10` and `_per_feature` as they apply (the group under
    /// `/stats` and the key of ``RunSummary/statistics``).
    public var resultName: String {
        dataset + (transform == .log10 ? "_log10" : "") + (perFeature ? "_per_feature" : "")
    }
}

/// One item's values, by output name.
public enum Values: Sendable {
    case float64([Double])
    case float32([Float])
    case int64([Int64])
    case int32([Int32])
    case uint16([UInt16])
    case uint8([UInt8])
    case string(String)

    /// The element type of numbers; nil for a string.
    var elementType: ElementType? {
        switch self {
        case .float64: .float64
        case .float32: .float32
        case .int64: .int64
        case .int32: .int32
        case .uint16: .uint16
        case .uint8: .uint8
        case .string: nil
        }
    }

    /// Reads row `row` of `dataset` as values of `type` (integer types without a case of their own widen to int32,
    /// like the outputs jobs declare).
    static func read(_ type: ElementType, row: Int, from dataset: Dataset) throws -> Values {
        switch type {
        case .float64: .float64(try dataset.read(Double.self, rows: row..<row + 1))
        case .float32: .float32(try dataset.read(Float.self, rows: row..<row + 1))
        case .int64: .int64(try dataset.read(Int64.self, rows: row..<row + 1))
        case .uint16: .uint16(try dataset.read(UInt16.self, rows: row..<row + 1))
        case .uint8: .uint8(try dataset.read(UInt8.self, rows: row..<row + 1))
        case .string: .string(try dataset.readStrings(rows: row..<row + 1).first ?? "")
        default: .int32(try dataset.read(Int32.self, rows: row..<row + 1))
        }
    }

    /// Writes the numbers to `rows` of `dataset` (collective in a parallel file).
    func write(to dataset: Dataset, rows: [Range<Int>]) throws {
        switch self {
        case .float64(let v): try dataset.write(v, rows: rows)
        case .float32(let v): try dataset.write(v, rows: rows)
        case .int64(let v): try dataset.write(v, rows: rows)
        case .int32(let v): try dataset.write(v, rows: rows)
        case .uint16(let v): try dataset.write(v, rows: rows)
        case .uint8(let v): try dataset.write(v, rows: rows)
        case .string(let s): try dataset.writeStrings([s], rows: rows)
        }
    }

    /// The number of values (1 for a string).
    public var count: Int {
        switch self {
        case .float64(let v): v.count
        case .float32(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .uint16(let v): v.count
        case .uint8(let v): v.count
        case .string: 1
        }
    }
}

/// What ``Job/produce(item:context:)`` returns.
public struct ItemOutput: Sendable {
    /// One entry per declared output.
    public var values: [String: Values]
    /// One field per metadata column.
    public var metadata: [String]
    /// Files the item adds to the output directory.
    public var files: [ItemFile]

    public init(values: [String: Values], metadata: [String], files: [ItemFile] = []) {
        self.values = values
        self.metadata = metadata
        self.files = files
    }
}

/// A file an item adds to the output directory (a per-curve text file, a detector frame). The job says how to
/// write it; the runner decides where and when, writes it under a temporary name and renames it into place, so a
/// file with its final name is always complete.
public struct ItemFile: Sendable {
    /// The path relative to the output directory, e.g. `saxs/<uid>.dat`.
    public var path: String
    /// Writes the file's content to the absolute path it is given.
    public var write: @Sendable (String) throws -> Void

    public init(path: String, write: @escaping @Sendable (String) throws -> Void) {
        self.path = path
        self.write = write
    }
}

/// What a job may know about the run while producing an item.
public struct ItemContext: Sendable {
    /// The run's seed.
    public let seed: UInt64
    /// The item's index.
    public let item: Int
    /// The dataset timestamp (ISO 8601, UTC) for metadata.
    public let timestamp: String

    /// A context as the runner makes it; jobs' tests use it to produce single items.
    public init(seed: UInt64, item: Int, timestamp: String) {
        self.seed = seed
        self.item = item
        self.timestamp = timestamp
    }

    /// The item's random stream number `stream` (use one per independent purpose).
    public func random(stream: UInt32) -> RandomStream {
        RandomStream(seed: seed, item: item, stream: stream)
    }
}
