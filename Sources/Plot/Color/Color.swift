/// An sRGB colour with opacity, components in [0, 1].
public struct Color: Sendable, Equatable {
    public var red: Double, green: Double, blue: Double, alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        (self.red, self.green, self.blue, self.alpha) = (red, green, blue, alpha)
    }

    /// A colour from its 0xRRGGBB value.
    public init(rgb: UInt32, alpha: Double = 1) {
        self.init(red: Double((rgb >> 16) & 0xFF) / 255, green: Double((rgb >> 8) & 0xFF) / 255,
                  blue: Double(rgb & 0xFF) / 255, alpha: alpha)
    }

    /// The same colour with opacity `alpha`.
    public func opacity(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    public static let black = Color(rgb: 0x000000)
    public static let white = Color(rgb: 0xFFFFFF)
    /// Axis lines, ticks and text.
    public static let ink = Color(rgb: 0x222222)
    /// Grid lines.
    public static let grid = Color(rgb: 0xDDDDDD)
    /// Masked pixels drawn over an image.
    public static let mask = Color(rgb: 0xFF2D20, alpha: 0.7)

    /// Ten distinguishable colours for series and classes, in order (matplotlib's "tab10" cycle, which readers of
    /// the field know).
    public static let cycle: [Color] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2,
                                        0x7F7F7F, 0xBCBD22, 0x17BECF].map { Color(rgb: $0) }

    /// The `index`-th colour of ``cycle``, wrapping around.
    public static func series(_ index: Int) -> Color { cycle[((index % cycle.count) + cycle.count) % cycle.count] }
}
