import Core

/// How log clocks are brought onto the images' clock (SAXSDog's `-1` and `-z`): every table moves by
/// Δ = (an image's start) − (the first entry of one table).
public enum Synchronisation: Sendable, Equatable {
    /// No shift: the clocks agree (after the offsets).
    case none
    /// Δ = the first image's start − the first entry of table `table` (SAXSDog's FirstImageCorrelation).
    case firstImage(table: String)
    /// Δ = the start of the image whose file name is `image` − the first entry of `table` (ZeroImageCorrelation;
    /// SAXSDog's image is `zero_1M_00000.tif`).
    case zeroImage(table: String, image: String)

    /// The table whose first entry is matched, if any.
    public var table: String? {
        switch self {
        case .none: nil
        case .firstImage(let t), .zeroImage(let t, _): t
        }
    }

    /// The shift in seconds to add to every log time.
    /// - Throws: ``ConfigError`` when the table or the zero image does not exist.
    public func delta(images: [ImageRecord], tables: [LogTable]) throws(ConfigError) -> Double {
        guard let name = table else { return 0 }
        guard let log = tables.first(where: { $0.name == name }), let firstEntry = log.times.first else {
            throw ConfigError(key: "--sync-table", "no log table named '\(name)' (tables: \(tables.map(\.name).joined(separator: ", ")))")
        }
        switch self {
        case .none: return 0
        case .firstImage: return images[0].start - firstEntry
        case .zeroImage(_, let image):
            guard let zero = images.first(where: { $0.path == image || $0.path.hasSuffix("/" + image) }) else {
                throw ConfigError(key: "--zero-image", "no image named '\(image)' among the \(images.count) images")
            }
            return zero.start - firstEntry
        }
    }
}
