import Core
import Foundation

/// Fit2D binary masks (`.msk`), as SAXSDog and fabio read them.
///
/// Layout: eight little-endian int32 words ('M', 'A', 'S', 'K', width, height, 1, 0), bit data from byte 1024, one
/// bit per pixel, little-endian within 32-bit words, each row padded to a multiple of 32 bits, rows stored bottom-up.
/// A set bit means masked.
public struct Fit2DMask: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major, top row first (image order): true where masked.
    public let masked: [Bool]

    /// A mask of `width` × `height` pixels; `masked` holds `width · height` flags in image order.
    public init(width: Int, height: Int, masked: [Bool]) {
        precondition(masked.count == width * height)
        self.width = width
        self.height = height
        self.masked = masked
    }

    /// Reads `path`; errors name the file and what is wrong with it.
    public init(contentsOf path: String) throws(FormatError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(file: path, message: "cannot read the mask file")
        }
        try self.init(data: data, file: path)
    }

    /// Parses the bytes of a `.msk` file; `file` names it in errors.
    public init(data: Data, file: String = "<data>") throws(FormatError) {
        let bytes = [UInt8](data)
        func word(_ i: Int) -> Int {
            Int(Int32(bitPattern: UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8
                      | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24))
        }
        guard bytes.count >= 1024, (0..<4).map(word) == [77, 65, 83, 75] else {
            throw FormatError(file: file, message: "not a Fit2D mask (no 'MASK' header)")
        }
        let width = word(4), height = word(5)
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
            throw FormatError(file: file, message: "implausible mask size \(width) × \(height)")
        }
        let wordsPerRow = (width + 31) / 32
        let needed = 1024 + 4 * wordsPerRow * height
        guard bytes.count >= needed else {
            throw FormatError(file: file, message: "truncated: \(bytes.count) bytes, a \(width) × \(height) mask needs \(needed)")
        }
        var masked = [Bool](repeating: false, count: width * height)
        for storedRow in 0..<height {
            let row = height - 1 - storedRow  // bottom-up on disk
            let base = 1024 + 4 * wordsPerRow * storedRow
            for column in 0..<width {
                let byte = bytes[base + column / 8]
                if byte & (1 << UInt8(column % 8)) != 0 { masked[row * width + column] = true }
            }
        }
        self.init(width: width, height: height, masked: masked)
    }

    /// The file bytes of this mask.
    public var data: Data {
        let wordsPerRow = (width + 31) / 32
        var bytes = [UInt8](repeating: 0, count: 1024 + 4 * wordsPerRow * height)
        for (i, value) in [77, 65, 83, 75, width, height, 1, 0].enumerated() {
            for b in 0..<4 { bytes[4 * i + b] = UInt8((value >> (8 * b)) & 0xff) }
        }
        for row in 0..<height {
            let base = 1024 + 4 * wordsPerRow * (height - 1 - row)
            for column in 0..<width where masked[row * width + column] {
                bytes[base + column / 8] |= 1 << UInt8(column % 8)
            }
        }
        return Data(bytes)
    }
}
