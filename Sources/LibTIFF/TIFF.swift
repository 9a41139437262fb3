import CTIFF
import Core
import Foundation
import Synchronization

/// Grayscale TIFF images (one or many pages) through libtiff (the only module that calls it).
public enum TIFF {
    /// Pixel types beamforge writes.
    public protocol Pixel: FixedWidthInteger & UnsignedInteger & Sendable {}

    /// Writes a `rows` × `columns` image, row-major, uncompressed, one strip per row block; written to a temporary
    /// name and renamed, so a reader never sees a half-written file.
    public static func write<P: Pixel>(_ pixels: [P], rows: Int, columns: Int, to path: String,
                                       description: String? = nil) throws(FormatError) {
        precondition(pixels.count == rows * columns)
        let temporary = path + ".partial"
        guard let tif = TIFFOpen(temporary, "w") else { throw FormatError(file: path, message: "cannot create the TIFF file") }
        var ok = bf_tiff_set_u32(tif, UInt32(TIFFTAG_IMAGEWIDTH), UInt32(columns)) == 1
        ok = ok && bf_tiff_set_u32(tif, UInt32(TIFFTAG_IMAGELENGTH), UInt32(rows)) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_BITSPERSAMPLE), UInt16(P.bitWidth)) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_SAMPLESPERPIXEL), 1) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_SAMPLEFORMAT), UInt16(SAMPLEFORMAT_UINT)) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_PHOTOMETRIC), UInt16(PHOTOMETRIC_MINISBLACK)) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_PLANARCONFIG), UInt16(PLANARCONFIG_CONTIG)) == 1
        ok = ok && bf_tiff_set_u16(tif, UInt32(TIFFTAG_COMPRESSION), UInt16(COMPRESSION_NONE)) == 1
        let rowsPerStrip = max(1, 8192 / max(1, columns * P.bitWidth / 8))
        ok = ok && bf_tiff_set_u32(tif, UInt32(TIFFTAG_ROWSPERSTRIP), UInt32(rowsPerStrip)) == 1
        if let description { ok = ok && bf_tiff_set_string(tif, UInt32(TIFFTAG_IMAGEDESCRIPTION), description) == 1 }
        if ok {
            pixels.withUnsafeBytes { raw in
                for row in 0..<rows where ok {
                    let pointer = UnsafeMutableRawPointer(mutating: raw.baseAddress! + row * columns * P.bitWidth / 8)
                    ok = TIFFWriteScanline(tif, pointer, UInt32(row), 0) == 1
                }
            }
        }
        TIFFClose(tif)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FormatError(file: path, message: "writing the TIFF image failed")
        }
    }
}

extension UInt8: TIFF.Pixel {}
extension UInt16: TIFF.Pixel {}
extension UInt32: TIFF.Pixel {}

extension TIFF {
    /// libtiff prints warnings (unknown private tags of detector TIFFs) and errors to stderr by default: keep
    /// quiet about warnings and keep the last error for beamforge's own messages, which name the file.
    private static let quiet: Void = {
        TIFFSetWarningHandler(nil)
        TIFFSetErrorHandler { _, format, arguments in
            guard let format, let arguments else { return }
            var buffer = [CChar](repeating: 0, count: 512)
            _ = vsnprintf(&buffer, buffer.count, format, arguments)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            lastErrorText.withLock { $0 = text }
        }
    }()

    private static let lastErrorText = Mutex("")

    /// `fallback` with libtiff's last error message.
    private static func lastError(_ fallback: String) -> String {
        let text = lastErrorText.withLock { text in defer { text = "" }; return text }
        return text.isEmpty ? fallback : fallback + " (" + text + ")"
    }

    /// The most pixels a frame may have: 2^26 (8192 × 8192, three times the largest detector, 256 MiB as float32).
    /// A header may declare up to 2^64 pixels in a few bytes; the buffer is sized from it only below this bound.
    public static let maximumPixels = 1 << 26

    /// Refuses an image of more than ``maximumPixels`` before anything is allocated for it.
    private static func checkSize(rows: Int, columns: Int, path: String) throws(FormatError) {
        guard rows > 0, columns > 0 else { throw FormatError(file: path, message: "TIFF of \(rows) × \(columns) pixels") }
        guard rows * columns <= maximumPixels else {
            throw FormatError(file: path, message: "TIFF of \(rows) × \(columns) pixels, more than the "
                              + "\(maximumPixels) a detector frame may have")
        }
    }

    /// The size of the first image of `path` without reading its pixels.
    public static func size(of path: String) throws(FormatError) -> (rows: Int, columns: Int) {
        _ = quiet
        guard let tif = TIFFOpen(path, "r") else { throw FormatError(file: path, message: lastError("cannot open as TIFF")) }
        defer { TIFFClose(tif) }
        var width: UInt32 = 0, height: UInt32 = 0
        guard bf_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGEWIDTH), &width) == 1,
              bf_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGELENGTH), &height) == 1 else {
            throw FormatError(file: path, message: "TIFF without an image size")
        }
        try checkSize(rows: Int(height), columns: Int(width), path: path)
        return (Int(height), Int(width))
    }

    /// The ImageDescription and DateTime tags of image `page` of `path` (nil where absent), without its pixels:
    /// detectors put their acquisition header there (Pilatus: `# Exposure_time 10.0000000 s` lines).
    public static func textTags(of path: String, page: Int = 0) throws(FormatError)
        -> (description: String?, dateTime: String?) {
        _ = quiet
        guard let tif = TIFFOpen(path, "r") else { throw FormatError(file: path, message: lastError("cannot open as TIFF")) }
        defer { TIFFClose(tif) }
        guard page == 0 || TIFFSetDirectory(tif, tdir_t(page)) == 1 else {
            throw FormatError(file: path, message: lastError("cannot read page \(page)"))
        }
        func text(_ tag: Int32) -> String? {
            var value: UnsafePointer<CChar>?
            guard bf_tiff_get_string(tif, UInt32(tag), &value) == 1, let value else { return nil }
            // Latin-1 bytes where a writer put any: each byte one character, never a decoding failure.
            return String(String.UnicodeScalarView(UnsafeBufferPointer(start: value, count: strlen(value))
                .map { Unicode.Scalar(UInt8(bitPattern: $0)) }))
        }
        return (text(TIFFTAG_IMAGEDESCRIPTION), text(TIFFTAG_DATETIME))
    }

    /// The number of images (pages, TIFF directories) in `path`.
    public static func pageCount(of path: String) throws(FormatError) -> Int {
        _ = quiet
        guard let tif = TIFFOpen(path, "r") else { throw FormatError(file: path, message: lastError("cannot open as TIFF")) }
        defer { TIFFClose(tif) }
        return Int(TIFFNumberOfDirectories(tif))
    }

    /// Reads image `page` (0 the first) of a single-channel TIFF: 8-, 16- or 32-bit signed or unsigned integers, or
    /// 32- or 64-bit floats, stripped or tiled, any compression libtiff decodes (Pilatus and Eiger frames, masks).
    public static func read(_ path: String, page: Int = 0) throws(FormatError) -> TIFFImage {
        _ = quiet
        guard let tif = TIFFOpen(path, "r") else { throw FormatError(file: path, message: lastError("cannot open as TIFF")) }
        defer { TIFFClose(tif) }
        guard page == 0 || TIFFSetDirectory(tif, tdir_t(page)) == 1 else {
            throw FormatError(file: path, message: lastError("cannot read page \(page)"))
        }
        var width: UInt32 = 0, height: UInt32 = 0
        var bits: UInt16 = 0, samples: UInt16 = 0, format: UInt16 = 0
        guard bf_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGEWIDTH), &width) == 1,
              bf_tiff_get_u32(tif, UInt32(TIFFTAG_IMAGELENGTH), &height) == 1 else {
            throw FormatError(file: path, message: "TIFF without an image size")
        }
        _ = bf_tiff_get_u16_defaulted(tif, UInt32(TIFFTAG_BITSPERSAMPLE), &bits)
        _ = bf_tiff_get_u16_defaulted(tif, UInt32(TIFFTAG_SAMPLESPERPIXEL), &samples)
        _ = bf_tiff_get_u16_defaulted(tif, UInt32(TIFFTAG_SAMPLEFORMAT), &format)
        guard samples == 1 else {
            throw FormatError(file: path, message: "\(samples) samples per pixel; detector frames have one")
        }
        let kind: ElementType
        switch (Int32(format), bits) {
        case (SAMPLEFORMAT_UINT, 8): kind = .uint8
        case (SAMPLEFORMAT_UINT, 16): kind = .uint16
        case (SAMPLEFORMAT_UINT, 32): kind = .uint32
        case (SAMPLEFORMAT_INT, 8): kind = .int8
        case (SAMPLEFORMAT_INT, 16): kind = .int16
        case (SAMPLEFORMAT_INT, 32): kind = .int32
        case (SAMPLEFORMAT_IEEEFP, 32): kind = .float32
        case (SAMPLEFORMAT_IEEEFP, 64): kind = .float64
        default:
            throw FormatError(file: path, message: "unsupported sample type (format \(format), \(bits) bits)")
        }
        let rows = Int(height), columns = Int(width), bytesPerSample = Int(bits) / 8
        try checkSize(rows: rows, columns: columns, path: path)
        var raw = [UInt8](repeating: 0, count: rows * columns * bytesPerSample)
        let ok = raw.withUnsafeMutableBytes { buffer -> Bool in
            let base = buffer.baseAddress!
            if TIFFIsTiled(tif) != 0 {
                var tileWidth: UInt32 = 0, tileHeight: UInt32 = 0
                _ = bf_tiff_get_u32(tif, UInt32(TIFFTAG_TILEWIDTH), &tileWidth)
                _ = bf_tiff_get_u32(tif, UInt32(TIFFTAG_TILELENGTH), &tileHeight)
                let tw = Int(tileWidth), th = Int(tileHeight)
                // A tile no larger than the frame limit, holding what the copy below reads of it.
                guard tw > 0, th > 0, tw * th <= maximumPixels,
                      Int(TIFFTileSize(tif)) >= tw * th * bytesPerSample else { return false }
                var tile = [UInt8](repeating: 0, count: Int(TIFFTileSize(tif)))
                for y0 in stride(from: 0, to: rows, by: th) {
                    for x0 in stride(from: 0, to: columns, by: tw) {
                        let n = tile.withUnsafeMutableBytes {
                            TIFFReadTile(tif, $0.baseAddress, UInt32(x0), UInt32(y0), 0, 0)
                        }
                        guard n >= 0 else { return false }
                        for y in y0..<min(rows, y0 + th) {
                            let count = (min(columns, x0 + tw) - x0) * bytesPerSample
                            tile.withUnsafeBytes { t in
                                (base + (y * columns + x0) * bytesPerSample)
                                    .copyMemory(from: t.baseAddress! + (y - y0) * tw * bytesPerSample, byteCount: count)
                            }
                        }
                    }
                }
                return true
            }
            for row in 0..<rows where TIFFReadScanline(tif, base + row * columns * bytesPerSample, UInt32(row), 0) != 1 {
                return false
            }
            return true
        }
        guard ok else { throw FormatError(file: path, message: lastError("cannot decode the image data")) }
        let pixels = raw.withUnsafeBytes { bytes -> [Float] in
            [Float](unsafeUninitializedCapacity: rows * columns) { out, initialized in
                let n = rows * columns
                switch kind {
                case .uint8: for i in 0..<n { out[i] = Float(bytes[i]) }
                case .int8: for i in 0..<n { out[i] = Float(Int8(bitPattern: bytes[i])) }
                case .uint16: let v = bytes.bindMemory(to: UInt16.self); for i in 0..<n { out[i] = Float(v[i]) }
                case .int16: let v = bytes.bindMemory(to: Int16.self); for i in 0..<n { out[i] = Float(v[i]) }
                case .uint32: let v = bytes.bindMemory(to: UInt32.self); for i in 0..<n { out[i] = Float(v[i]) }
                case .int32: let v = bytes.bindMemory(to: Int32.self); for i in 0..<n { out[i] = Float(v[i]) }
                case .float32: let v = bytes.bindMemory(to: Float.self); for i in 0..<n { out[i] = v[i] }
                default: let v = bytes.bindMemory(to: Double.self); for i in 0..<n { out[i] = Float(v[i]) }
                }
                initialized = n
            }
        }
        return TIFFImage(rows: rows, columns: columns, pixels: pixels, sampleType: kind)
    }
}
