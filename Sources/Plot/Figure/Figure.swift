import Cairo
import Foundation

/// A figure: panels on a grid, drawn to PNG or SVG. Sizes are in points; a PNG has `pixelsPerPoint` pixels per
/// point (2 by default, sharp on high-density screens and in print).
///
/// ```swift
/// var axes = Axes(x: Axis("q (Å⁻¹)", scale: .log), y: Axis("I (cm⁻¹)", scale: .log))
/// axes.add(.line(Line(x: q, y: intensity, yError: sigma, label: "data")))
/// let png = try Figure(axes, width: 480, height: 360).png()
/// ```
public struct Figure: Sendable {
    public var panels: [Axes]
    /// Panels per row.
    public var columns: Int
    public var width: Double, height: Double
    public var title: String?

    public init(_ panels: [Axes], columns: Int = 1, width: Double = 480, height: Double = 360, title: String? = nil) {
        precondition(columns > 0 && width > 0 && height > 0)
        (self.panels, self.columns, self.width, self.height, self.title) = (panels, columns, width, height, title)
    }

    /// A figure of one panel.
    public init(_ axes: Axes, width: Double = 480, height: Double = 360, title: String? = nil) {
        self.init([axes], columns: 1, width: width, height: height, title: title)
    }

    /// The size of the PNG ``png(pixelsPerPoint:)`` makes.
    public func pixelSize(pixelsPerPoint: Double = 2) -> (width: Int, height: Int) {
        (Int((width * pixelsPerPoint).rounded()), Int((height * pixelsPerPoint).rounded()))
    }

    /// The figure as a PNG file's bytes.
    public func png(pixelsPerPoint: Double = 2) throws(PlotError) -> [UInt8] {
        do {
            let size = pixelSize(pixelsPerPoint: pixelsPerPoint)
            let surface = try Surface.raster(width: size.width, height: size.height)
            let context = try Context(surface)
            context.scale(pixelsPerPoint)
            try FigureRenderer(figure: self, context: context, pixelsPerPoint: pixelsPerPoint).draw()
            return try surface.pngData()
        } catch { throw PlotError("drawing the figure: \(error)") }
    }

    /// Writes the figure to `path` as PNG.
    public func writePNG(to path: String, pixelsPerPoint: Double = 2) throws(PlotError) {
        let bytes = try png(pixelsPerPoint: pixelsPerPoint)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw PlotError("\(path): cannot write the PNG file")
        }
    }

    /// Writes the figure to `path` as SVG (vector lines and text; rasters embedded as images).
    public func writeSVG(to path: String) throws(PlotError) {
        do {
            let surface = try Surface.svg(path: path, width: width, height: height)
            try FigureRenderer(figure: self, context: try Context(surface), pixelsPerPoint: 2).draw()
            try surface.finish()
        } catch { throw PlotError("\(path): \(error)") }
    }
}

/// A figure that could not be drawn or written.
public struct PlotError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
