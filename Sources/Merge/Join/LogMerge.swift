import Core

/// SAXSDog's datamerge: log tables synchronised with the images and joined onto each image's mid-exposure time.
public struct LogMerge: Sendable {
    /// The images in time order.
    public let images: [ImageRecord]
    /// The tables after synchronisation.
    public let tables: [LogTable]
    /// How the logs were synchronised, and the shift added to every log time (s).
    public let sync: Synchronisation
    public let delta: Double
    /// Merged column names, `<column> (<table>)`, table by table.
    public let columns: [String]
    /// values[c][image].
    public let values: [[Double]]
    /// Which merged columns hold time-weighted means rather than the last entry.
    public let averaged: Set<String>

    /// Columns `average` (merged names) of images exposed at least `averageFrom` seconds are the time-weighted
    /// mean over [start, end]; every other value is the last entry at or before the image's mid-exposure time.
    /// - Throws: ``ConfigError`` naming the file of a table that no image time falls within, or an unknown
    ///   column to average.
    public init(images: [ImageRecord], tables: [LogTable], sync: Synchronisation, average: [String],
                averageFrom: Double) throws(ConfigError) {
        let delta = try sync.delta(images: images, tables: tables)
        let shifted = tables.map { $0.shifted(by: delta) }
        let columns = shifted.flatMap { t in t.columns.map { "\($0) (\(t.name))" } }
        for name in average where !columns.contains(name) {
            throw ConfigError(key: "--average", "no merged column '\(name)' (columns: \(columns.joined(separator: ", ")))")
        }
        for table in shifted {
            let first = table.times.first!, last = table.times.last!
            guard images.contains(where: { $0.time >= first && $0.time <= last }) else {
                throw ConfigError(key: table.files.joined(separator: ", "), "no overlap with the images: the log covers "
                    + "\(first)...\(last) s (Unix, after offsets and synchronisation), the images \(images.first!.time)...\(images.last!.time) s")
            }
        }
        let averaged = Set(average)
        var values: [[Double]] = []
        for table in shifted {
            for (c, column) in table.columns.enumerated() {
                let name = "\(column) (\(table.name))"
                values.append(images.map { image in
                    if averaged.contains(name) && image.exposure >= averageFrom {
                        return AsOfJoin.timeWeightedMean(table.times, table.values[c], from: image.start, to: image.end)
                    }
                    return AsOfJoin.index(table.times, atOrBefore: image.time).map { table.values[c][$0] } ?? .nan
                })
            }
        }
        (self.images, self.tables, self.sync, self.delta, self.columns, self.values, self.averaged) =
            (images, shifted, sync, delta, columns, values, averaged)
    }

    /// For each image, the time of the entry of `table` it was joined to (NaN before the first).
    public func matchedTimes(_ table: LogTable) -> [Double] {
        images.map { image in AsOfJoin.index(table.times, atOrBefore: image.time).map { table.times[$0] } ?? .nan }
    }
}
