import Foundation

/// Where a frame's magnetic field B comes from (`--field-from`).
public enum FieldSource: Sendable, Equatable {
    /// The title, by the original toolkit's rule `(\d+(\.\d+)?)(mT|T)` (T × 1000), kept as a real number of mT.
    case title
    /// No field: every frame's `field_mT` is NaN (time series).
    case none

    /// Parses `title` or `none`.
    public init?(parsing text: String) {
        switch text {
        case "title": self = .title
        case "none": self = .none
        default: return nil
        }
    }

    /// The field in mT and the sample name (the title before `_<B>mT|T`) of a title.
    ///
    /// The original toolkit's regex, first match; unlike it, the value is not truncated by `int()` and a title
    /// without a field is an error, never a silent 0 (docs/reference/orientation.md §1.4, defect 6).
    /// - Returns: nil when the title holds no field.
    public static func field(inTitle title: String) -> (milliTesla: Double, sample: String)? {
        guard let match = title.firstMatch(of: /(\d+(\.\d+)?)(mT|T)/), let value = Double(match.1) else { return nil }
        let milliTesla = match.3 == "T" ? value * 1000 : value
        var sample = String(title[..<match.range.lowerBound])
        if sample.hasSuffix("_") { sample.removeLast() }
        return (milliTesla, sample)
    }
}
