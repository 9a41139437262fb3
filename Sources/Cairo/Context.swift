import CCairo

/// Strokes, fills and text on a ``Surface``: a thin layer over a cairo context. Coordinates are in device units
/// with y downwards. Colours are non-premultiplied RGBA in [0, 1].
public final class Context {
    let handle: OpaquePointer
    /// Kept alive while the context draws on it.
    public let surface: Surface

    /// A context drawing on `surface`.
    public init(_ surface: Surface) throws(CairoError) {
        self.surface = surface
        handle = cairo_create(surface.handle)
        try CairoError.check(cairo_status(handle), "creating a context")
    }

    deinit { cairo_destroy(handle) }

    // MARK: state

    public func save() { cairo_save(handle) }
    public func restore() { cairo_restore(handle) }
    public func translate(_ x: Double, _ y: Double) { cairo_translate(handle, x, y) }
    /// Scales the user space (a figure laid out in points drawn at `factor` pixels per point).
    public func scale(_ factor: Double) { cairo_scale(handle, factor, factor) }
    /// Rotates the user space by `radians` (positive: clockwise on the page, y being down).
    public func rotate(_ radians: Double) { cairo_rotate(handle, radians) }

    public func setColor(_ red: Double, _ green: Double, _ blue: Double, _ alpha: Double = 1) {
        cairo_set_source_rgba(handle, red, green, blue, alpha)
    }

    public func setLineWidth(_ width: Double) { cairo_set_line_width(handle, width) }

    /// Dashes of the given on/off lengths; empty for a solid line.
    public func setDash(_ pattern: [Double]) {
        cairo_set_dash(handle, pattern, Int32(pattern.count), 0)
    }

    /// Lines end and join round (markers and error bars look the same at any width).
    public func setRoundCaps() {
        cairo_set_line_cap(handle, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(handle, CAIRO_LINE_JOIN_ROUND)
    }

    // MARK: paths

    public func moveTo(_ x: Double, _ y: Double) { cairo_move_to(handle, x, y) }
    public func lineTo(_ x: Double, _ y: Double) { cairo_line_to(handle, x, y) }
    public func closePath() { cairo_close_path(handle) }
    public func newPath() { cairo_new_path(handle) }
    public func rectangle(_ x: Double, _ y: Double, _ width: Double, _ height: Double) {
        cairo_rectangle(handle, x, y, width, height)
    }
    public func circle(_ x: Double, _ y: Double, radius: Double) {
        cairo_new_sub_path(handle)
        cairo_arc(handle, x, y, radius, 0, 2 * Double.pi)
    }

    public func stroke() { cairo_stroke(handle) }
    public func fill() { cairo_fill(handle) }
    public func fillPreserve() { cairo_fill_preserve(handle) }
    /// Fills the whole clip region with the current colour.
    public func paint() { cairo_paint(handle) }
    /// Restricts drawing to the current path (until ``restore()``).
    public func clip() { cairo_clip(handle) }

    // MARK: text

    /// Sets the font: DejaVu Sans (Debian's fonts-dejavu-core) at `size` device units.
    public func setFont(size: Double, bold: Bool = false) {
        cairo_select_font_face(handle, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(handle, size)
    }

    /// The advance width of `text` and the font's ascent and descent, in the current font.
    public func measure(_ text: String) -> (width: Double, ascent: Double, descent: Double) {
        var extents = cairo_text_extents_t()
        cairo_text_extents(handle, text, &extents)
        var font = cairo_font_extents_t()
        cairo_font_extents(handle, &font)
        return (extents.x_advance, font.ascent, font.descent)
    }

    /// Draws `text` with its baseline's start at (x, y).
    public func showText(_ text: String, x: Double, y: Double) {
        cairo_move_to(handle, x, y)
        cairo_show_text(handle, text)
    }

    // MARK: images

    /// Paints a raster of `width` × `height` pixels (`argb`: premultiplied 0xAARRGGBB, row-major from the top)
    /// into the rectangle (x, y, w, h). `smooth` interpolates (for downscaling large frames); otherwise each
    /// pixel stays a sharp block.
    public func drawImage(argb: [UInt32], width: Int, height: Int, x: Double, y: Double, w: Double, h: Double,
                          smooth: Bool) throws(CairoError) {
        precondition(argb.count == width * height)
        guard let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw CairoError(description: "cairo: cannot create a \(width) × \(height) image")
        }
        defer { cairo_surface_destroy(image) }
        try CairoError.check(cairo_surface_status(image), "creating a \(width) × \(height) image")
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        guard let data = cairo_image_surface_get_data(image) else { throw CairoError(description: "cairo: no image data") }
        let rowBytes = width * 4
        argb.withUnsafeBytes { source in
            guard let base = source.baseAddress else { return }
            for row in 0..<height {
                let target = UnsafeMutableRawPointer(data) + row * stride
                target.copyMemory(from: base + row * rowBytes, byteCount: rowBytes)
            }
        }
        cairo_surface_mark_dirty(image)
        save()
        cairo_rectangle(handle, x, y, w, h)
        cairo_clip(handle)
        cairo_translate(handle, x, y)
        cairo_scale(handle, w / Double(width), h / Double(height))
        cairo_set_source_surface(handle, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(handle), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(cairo_get_source(handle), CAIRO_EXTEND_PAD)
        cairo_paint(handle)
        restore()
    }
}
