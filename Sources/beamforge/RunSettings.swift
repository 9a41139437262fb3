import Core

/// The config keys of the run itself, common to every job.
struct RunSettings: Codable, Equatable {
    /// Output directory.
    var out = "beamforge-out"
    /// Run seed.
    var seed: UInt64 = 1
    /// Items per rank per collective write.
    var batchSize = 16
    /// gzip level 1–9 for chunked datasets; 0 writes contiguous, uncompressed datasets (fastest).
    var compression = 0
    /// Items per chunk when compressing.
    var chunkItems = 64

    enum CodingKeys: String, CodingKey {
        case out, seed, batchSize = "batch_size", compression, chunkItems = "chunk_items"
    }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        out = try c.decodeIfPresent(String.self, forKey: .out) ?? out
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        compression = try c.decodeIfPresent(Int.self, forKey: .compression) ?? compression
        chunkItems = try c.decodeIfPresent(Int.self, forKey: .chunkItems) ?? chunkItems
    }

    /// Checks the values that need no file system.
    func validate() throws(ConfigError) {
        guard !out.isEmpty else { throw ConfigError(key: "out", "must name a directory") }
        guard batchSize >= 1 else { throw ConfigError(key: "batch_size", "must be at least 1 (got \(batchSize))") }
        guard (0...9).contains(compression) else {
            throw ConfigError(key: "compression", "must be a gzip level 0-9, 0 for none (got \(compression))")
        }
        guard chunkItems >= 1 else { throw ConfigError(key: "chunk_items", "must be at least 1 (got \(chunkItems))") }
    }
}

