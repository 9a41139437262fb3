import CCairo

/// A cairo drawing surface: an ARGB raster (written as PNG) or an SVG document being written to a file.
/// The only type besides ``Context`` that calls cairo.
public final class Surface {
    let handle: OpaquePointer
    /// Width and height in device units (pixels for a raster, points for SVG).
    public let width: Double, height: Double

    private init(_ handle: OpaquePointer, width: Double, height: Double) throws(CairoError) {
        self.handle = handle
        self.width = width
        self.height = height
        try CairoError.check(cairo_surface_status(handle), "creating a surface")
    }

    /// A raster of `width` × `height` pixels, transparent.
    public static func raster(width: Int, height: Int) throws(CairoError) -> Surface {
        try Surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
                    width: Double(width), height: Double(height))
    }

    /// An SVG document of `width` × `height` points written to `path` as it is drawn and completed by ``finish()``.
    public static func svg(path: String, width: Double, height: Double) throws(CairoError) -> Surface {
        let surface = try Surface(cairo_svg_surface_create(path, width, height), width: width, height: height)
        cairo_svg_surface_restrict_to_version(surface.handle, CAIRO_SVG_VERSION_1_2)
        return surface
    }

    /// The raster encoded as PNG (in memory).
    public func pngData() throws(CairoError) -> [UInt8] {
        cairo_surface_flush(handle)
        let sink = PNGSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let status = cairo_surface_write_to_png_stream(handle, { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PNGSink>.fromOpaque(closure).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, context)
        try CairoError.check(status, "encoding PNG")
        return sink.bytes
    }

    /// Ends drawing: an SVG document is completed and closed. Drawing afterwards has no effect.
    public func finish() throws(CairoError) {
        cairo_surface_finish(handle)
        try CairoError.check(cairo_surface_status(handle), "finishing the surface")
    }

    deinit { cairo_surface_destroy(handle) }
}

/// Collects the bytes cairo's PNG writer streams out.
private final class PNGSink { var bytes: [UInt8] = [] }

/// A cairo call that failed, with cairo's reason.
public struct CairoError: Error, CustomStringConvertible {
    public let description: String

    static func check(_ status: cairo_status_t, _ what: String) throws(CairoError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw CairoError(description: "cairo: \(what): \(String(cString: cairo_status_to_string(status)))")
    }
}
