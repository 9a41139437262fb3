import Foundation

/// The geometry in a Fit2D calibration printout: its "Refined …" lines (as SAXSDog's converter reads them) or
/// "Best fit …" lines (SAXSDog documentation §5.3.1), found by their labels, not by word positions
/// (docs/reference/live-integration.md §4.1). Each value is nil when the text has no line for it.
public struct Fit2DRefinement: Equatable, Sendable {
    /// Beam centre in pixels, Fit2D's X (column) and Y (from the bottom).
    public var centerX: Double?
    public var centerY: Double?
    public var distanceMM: Double?
    /// Å.
    public var wavelength: Double?
    public var tiltDeg: Double?
    public var tiltRotationDeg: Double?

    /// Whether no value was found.
    public var isEmpty: Bool { self == Fit2DRefinement() }

    init() {}

    // A number as Fortran prints it.
    private static let number = #"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?)"#
    private static let fit = #"(?:refined|best\s+fit)\s+"#
    // The centre in pixels: "(X/Y pixels)" before the "=" or "(pixels)" after the numbers; the "(mm)" line is not it.
    private static let center = ("(?i)" + fit + #"beam\s+centre\s*(?:\(x/y\s+pixels\)\s*=\s*"# + number
                                           + #"\s+"# + number + #"|=\s*"# + number + #"\s+"# + number
                                           + #"\s*\(pixels\))"#)
    private static let distance = ("(?i)" + fit + #"sample\s+to\s+detector\s+distance[^=]*=\s*"# + number)
    private static let wavelength = ("(?i)" + fit + #"wavelength[^=]*=\s*"# + number)
    private static let rotation = ("(?i)" + fit + #"(?:tilt\s+plane\s+rotation\s+angle|angle\s+of\s+tilt\s+plane\s+rotation)[^=]*=\s*"# + number)
    private static let tilt = ("(?i)" + fit + #"(?:tilt\s+angle|angle\s+of\s+tilt(?!\s+plane))[^=]*=\s*"# + number)

    /// Reads every recognised line of `text` (a later line of a kind replaces an earlier one, as a later
    /// refinement does).
    public init(text: String) {
        func value(_ match: Regex<AnyRegexOutput>.Match, _ index: Int) -> Double? {
            (match.output[index].substring).flatMap { Double($0.replacingOccurrences(of: "d", with: "e")
                .replacingOccurrences(of: "D", with: "e")) }
        }
        // Regex values are not Sendable, so they are built per call from the patterns.
        let (centerLine, distanceLine, wavelengthLine, rotationLine, tiltLine) = (
            try! Regex(Self.center), try! Regex(Self.distance), try! Regex(Self.wavelength), try! Regex(Self.rotation),
            try! Regex(Self.tilt))
        for line in text.split(whereSeparator: \.isNewline).map(String.init) {
            if let m = line.firstMatch(of: centerLine) {
                centerX = value(m, 1) ?? value(m, 3)
                centerY = value(m, 2) ?? value(m, 4)
            } else if let m = line.firstMatch(of: distanceLine) {
                distanceMM = value(m, 1)
            } else if let m = line.firstMatch(of: wavelengthLine) {
                wavelength = value(m, 1)
            } else if let m = line.firstMatch(of: rotationLine) {
                tiltRotationDeg = value(m, 1)
            } else if let m = line.firstMatch(of: tiltLine) {
                tiltDeg = value(m, 1)
            }
        }
    }
}
