/// One axis of a panel: its label (with units), scale and range.
public struct Axis: Sendable {
    /// The label, units in brackets, e.g. "q (Å⁻¹)".
    public var label: String
    public var scale: ScaleKind
    /// A fixed range; nil fits the data.
    public var range: ClosedRange<Double>?
    /// Larger values downwards (the y axis of an image whose first row is drawn at the top).
    public var inverted: Bool
    /// Names of the integer positions 0, 1, … (bar charts); replaces numeric ticks.
    public var categories: [String]?

    public init(_ label: String = "", scale: ScaleKind = .linear, range: ClosedRange<Double>? = nil,
                inverted: Bool = false, categories: [String]? = nil) {
        (self.label, self.scale, self.range, self.inverted, self.categories) = (label, scale, range, inverted, categories)
    }
}
