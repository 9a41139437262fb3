import CTIFF
import Foundation

/// Single-page grayscale TIFF images through libtiff (the only C calls of this module).
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
