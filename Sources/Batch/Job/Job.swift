import Core
import HDF5

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
    /// Memory every rank holds for the whole run once ``prepare(_:)`` has built it (integration matrices, detector
    /// responses), in bytes (for the plan's memory estimate).
    var residentBytes: Int { get }
    /// Subgroups of the job's group, created with their attributes before the outputs (an output named
    /// `sasdata01/I` lands in the subgroup `sasdata01`).
    var subgroups: [GroupSpec] { get }
    /// Other names for the job's datasets (hard links), made after its outputs and constants.
    var links: [LinkSpec] { get }
    /// The plot a NeXus viewer shows first (an `NXdata` group of links, with `default` attributes chaining to it
    /// from the root); nil for jobs that declare their own `NXdata` groups and `default` attribute.
    var defaultPlot: DefaultPlot? { get }
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
    func finish(item: Int, values: [String: Column], statistics: [String: [RunningStatistics]]) throws -> [ItemFile]

    /// A name per item that stays the same when items are added or reordered (the frames' source files), stored
    /// in the output: `--resume` then names the items that changed, and `--update` copies the items an output
    /// already holds. Nil (the default) for jobs whose items are only their indices.
    var itemKeys: [String]? { get }
    /// The metadata row of an item that `--update` moves to index `item` (the default leaves it as it is; a job
    /// whose rows hold their item index puts the new one in).
    func renumbered(metadata row: [String], to item: Int) -> [String]

    /// Set-up done once per run rather than on every rank (tables, matrices), before any item: `build` spreads
    /// independent parts over the ranks and gives every rank all of them. Called on every rank by
    /// `Session.prepare(_:logger:)` once MPI has started, before the run or its plan; the default does nothing.
    mutating func prepare(_ build: SharedBuild) throws
}

extension Job {
    /// No group attributes by default.
    public var groupAttributes: [String: AttributeValue] { [:] }
    /// No global statistics by default.
    public var statistics: [StatisticsSpec] { [] }
    /// No working memory beyond the outputs by default.
    public var workingBytesPerItem: Int { 0 }
    /// Nothing held for the whole run by default.
    public var residentBytes: Int { 0 }
    /// No item keys by default.
    public var itemKeys: [String]? { nil }
    public func renumbered(metadata row: [String], to item: Int) -> [String] { row }
    /// No subgroups by default.
    public var subgroups: [GroupSpec] { [] }
    /// No links by default.
    public var links: [LinkSpec] { [] }
    /// No default plot by default.
    public var defaultPlot: DefaultPlot? { nil }
    public mutating func prepare(_ build: SharedBuild) throws {}
    /// No constant datasets by default.
    public func constants(timestamp: String) -> [ConstantSpec] { [] }
    /// No outputs read back for finishing by default.
    public var finishingOutputs: [String] { [] }
    /// No finishing files by default.
    public func finish(item: Int, values: [String: Column],
                       statistics: [String: [RunningStatistics]]) throws -> [ItemFile] { [] }

    /// Calls ``produce(item:context:)`` for each context in order, wrapping an error in ``ItemFailure``.
    public func produce(batch: [ItemContext]) throws -> [ItemOutput] {
        try batch.map { context in
            do { return try produce(item: context.item, context: context) } catch {
                throw ItemFailure(item: context.item, underlying: error)
            }
        }
    }
}
