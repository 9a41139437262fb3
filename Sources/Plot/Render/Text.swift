import Cairo

/// Font sizes (points) and text placement by anchor.
enum Font {
    static let tick = 10.0, label = 11.5, title = 12.0, legend = 10.0, note = 11.0
}

/// Which point of a text's box a position names.
enum Anchor {
    case start, middle, end
}

extension Context {
    /// Draws `text` in the current font with its horizontal `anchor` at x and its vertical centre at y.
    func text(_ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double, bold: Bool = false) {
        setFont(size: size, bold: bold)
        let m = measure(text)
        let left: Double
        switch anchor {
        case .start: left = x
        case .middle: left = x - m.width / 2
        case .end: left = x - m.width
        }
        showText(text, x: left, y: y + (m.ascent - m.descent) / 2)
    }

    /// The width of `text` at `size`.
    func width(of text: String, size: Double, bold: Bool = false) -> Double {
        setFont(size: size, bold: bold)
        return measure(text).width
    }

    func setColor(_ c: Color) { setColor(c.red, c.green, c.blue, c.alpha) }
}
