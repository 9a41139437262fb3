import Batch

/// A job over the detector rows of a ``ScanSet``, run one chunk of `chunk_size` rows per batch, its rows read by
/// ``ScanSource``.
public protocol ScanJob: SourcedJob where Source == ScanSource {
    var scans: ScanSet { get }
    /// Items in one chunk of rows (dynamic mode: the rows' frames): the runner's batch.
    var itemsPerChunk: Int { get }
    /// Rows read beyond a chunk's own on each side (a stripe mask's ghost rows); 0 when none.
    var ghostRows: Int { get }
    /// The job of checked settings, its scans opened.
    /// - Throws: ``ConfigError`` or ``FormatError`` naming the setting, file or dataset at fault.
    init(settings: StackSettings) throws
}

extension ScanJob {
    /// The job of a configuration (``StackConfig/settings()``).
    /// - Throws: ``ConfigError`` or ``FormatError`` naming the key, file or dataset at fault.
    public init(config: StackConfig) throws {
        try self.init(settings: config.settings())
    }
}
