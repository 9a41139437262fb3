import Foundation

/// An image of values drawn through a colour map, with an optional mask drawn over it.
public struct Raster: Sendable {
    public var width: Int, height: Int
    /// Row-major values, the first row drawn at the top (at ``y``'s lower bound on an inverted axis).
    public var values: [Float]
    public var colorMap: ColorMap
    /// Linear or logarithmic colour scale (on a log scale values ≤ 0 are drawn as ``invalidColor``).
    public var scale: ScaleKind
    /// The values at the ends of the colour map; nil: a robust range of the data (``ColorRange/robust(_:scale:)``).
    public var range: ClosedRange<Double>?
    /// Pixels where the mask is non-zero are covered with ``maskColor``.
    public var mask: [UInt8]?
    public var maskColor: Color
    /// Colour of NaN (and, on a log scale, non-positive) values.
    public var invalidColor: Color
    /// The data coordinates the image spans (pixel edges); default the pixel indices.
    public var x: ClosedRange<Double>, y: ClosedRange<Double>
    /// The colour bar's label; nil draws no colour bar.
    public var colorBarLabel: String?

    public init(width: Int, height: Int, values: [Float], colorMap: ColorMap = .viridis, scale: ScaleKind = .linear,
                range: ClosedRange<Double>? = nil, mask: [UInt8]? = nil, maskColor: Color = .mask,
                invalidColor: Color = Color(rgb: 0xBBBBBB), x: ClosedRange<Double>? = nil,
                y: ClosedRange<Double>? = nil, colorBarLabel: String? = "") {
        precondition(values.count == width * height, "a raster needs width × height values")
        precondition(mask.map { $0.count == values.count } ?? true, "a mask needs one value per pixel")
        (self.width, self.height, self.values, self.colorMap, self.scale) = (width, height, values, colorMap, scale)
        (self.range, self.mask, self.maskColor, self.invalidColor) = (range, mask, maskColor, invalidColor)
        self.x = x ?? 0...Double(width)
        self.y = y ?? 0...Double(height)
        self.colorBarLabel = colorBarLabel
    }

    /// The colour scale in use: ``range`` or the robust range of the unmasked values.
    public var colorScale: Scale {
        let r = range ?? ColorRange.robust(values, mask: mask, scale: scale)
        return Scale(scale, r.lowerBound, r.upperBound)
    }

    /// The pixels as premultiplied 0xAARRGGBB, mask composited (for the surface).
    public func pixels() -> [UInt32] {
        let colors = colorScale
        let invalid = Raster.premultiplied(invalidColor)
        var out = [UInt32](repeating: invalid, count: values.count)
        let low = colors.kind == .log ? log10(colors.lower) : colors.lower
        let high = colors.kind == .log ? log10(colors.upper) : colors.upper
        let inverseSpan = 1 / (high - low)
        for i in values.indices {
            let v = Double(values[i])
            guard colors.accepts(v) else { continue }
            out[i] = colorMap.pixel(at: ((colors.kind == .log ? log10(v) : v) - low) * inverseSpan)
        }
        if let mask {
            let a = maskColor.alpha
            for i in out.indices where mask[i] != 0 {
                out[i] = Raster.blend(over: out[i], maskColor, alpha: a)
            }
        }
        return out
    }

    static func premultiplied(_ c: Color) -> UInt32 {
        let a = c.alpha
        func byte(_ x: Double) -> UInt32 { UInt32((min(max(x, 0), 1) * 255).rounded()) }
        return byte(a) << 24 | byte(c.red * a) << 16 | byte(c.green * a) << 8 | byte(c.blue * a)
    }

    /// `color` with opacity `alpha` composited over the opaque `pixel`.
    static func blend(over pixel: UInt32, _ color: Color, alpha: Double) -> UInt32 {
        func channel(_ shift: UInt32, _ c: Double) -> UInt32 {
            let under = Double((pixel >> shift) & 0xFF) / 255
            return UInt32(((under * (1 - alpha) + c * alpha) * 255).rounded()) << shift
        }
        return 0xFF00_0000 | channel(16, color.red) | channel(8, color.green) | channel(0, color.blue)
    }
}
