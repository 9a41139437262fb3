import Core
import Foundation

/// An EDF file (ESRF Data Format, as written by ESRF beamlines, LGC's instruments and fabio): one or more blocks,
/// each an ASCII header padded to 512 bytes (``EDFHeader``) followed by its binary data, `Dim_2` rows of `Dim_1`
/// values of `DataType` in `ByteOrder`. Only uncompressed data are read.
///
/// Hand-written: the format is a few lines of text and raw values, and no Swift or C library for it is packaged
/// (fabio is Python).
public struct EDFImage: Sendable {
    /// One block: its header and where its data lie.
    public struct Block: Sendable {
        public let header: EDFHeader
        public let rows: Int
        public let columns: Int
        public let type: ElementType
        public let bigEndian: Bool
        /// Byte offset of the data in the file.
        public let dataOffset: Int
    }

    public let path: String
    public let blocks: [Block]

    /// Reads every block's header (the data are read by ``pixels(_:)``).
    /// - Throws: ``FormatError`` naming the file and, for a missing or bad key, the key and what the header has.
    public init(contentsOf path: String) throws(FormatError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(file: path, message: "cannot read the EDF file")
        }
        var blocks: [Block] = []
        var offset = 0
        while offset < data.count {
            // Skip whitespace between blocks (some writers pad the data).
            while offset < data.count, data[offset] == 0x20 || data[offset] == 0x0A || data[offset] == 0x0D { offset += 1 }
            if offset == data.count { break }
            guard data[offset] == UInt8(ascii: "{") else {
                if blocks.isEmpty { throw FormatError(file: path, message: "not an EDF file (no '{' header)") }
                throw FormatError(file: path, message: "EDF block \(blocks.count) does not start with '{' at byte \(offset)")
            }
            guard let close = data[offset...].firstIndex(of: UInt8(ascii: "}")) else {
                throw FormatError(file: path, message: "EDF header of block \(blocks.count) has no closing '}'")
            }
            let text = String(decoding: data[(offset + 1)..<close], as: UTF8.self)
            let header = try EDFHeader(text: text, file: path)
            // The data start after the '}' and its newline.
            var start = close + 1
            if start < data.count, data[start] == 0x0D { start += 1 }
            if start < data.count, data[start] == 0x0A { start += 1 }
            if let compression = header["Compression"], compression.lowercased() != "none" {
                throw FormatError(file: path, message: "EDF Compression '\(compression)' is not supported (uncompressed only)")
            }
            let type = try header.elementType(file: path)
            let columns = try Self.dimension(header, "Dim_1", file: path)
            let rows = try Self.dimension(header, "Dim_2", file: path)
            let bytes = rows * columns * type.size
            if let sizeText = header["Size"] ?? header["EDF_BinarySize"] {
                guard let size = Int(sizeText), size >= bytes else {
                    throw FormatError(file: path, message: "EDF Size \(sizeText) is less than Dim_1 × Dim_2 × "
                                      + "\(type.size) bytes = \(bytes)")
                }
                guard start + size <= data.count else {
                    throw FormatError(file: path, message: "EDF block \(blocks.count) is cut short: \(size) bytes of data "
                                      + "announced, \(data.count - start) in the file")
                }
                offset = start + size
            } else {
                guard start + bytes <= data.count else {
                    throw FormatError(file: path, message: "EDF block \(blocks.count) is cut short: \(bytes) bytes of data "
                                      + "needed, \(data.count - start) in the file")
                }
                offset = start + bytes
            }
            blocks.append(Block(header: header, rows: rows, columns: columns, type: type,
                                bigEndian: try header.bigEndian(file: path), dataOffset: start))
        }
        guard !blocks.isEmpty else { throw FormatError(file: path, message: "the EDF file is empty") }
        self.blocks = blocks
    }

    private static func dimension(_ header: EDFHeader, _ key: String, file: String) throws(FormatError) -> Int {
        let text = try header.required(key, file: file)
        guard let value = Int(text), (1...1 << 16).contains(value) else {
            throw FormatError(file: file, message: "EDF \(key) = '\(text)' must be a whole number from 1 to 65536")
        }
        return value
    }

    /// The pixels of block `index`, row-major, converted to float32 (as the frame kernels read them; 32- and 64-bit
    /// integers above 2²⁴ lose their last bits, as fabio's `astype(float32)` does).
    /// - Throws: ``FormatError`` when the file cannot be read again.
    public func pixels(_ index: Int) throws(FormatError) -> [Float] {
        let block = blocks[index]
        let count = block.rows * block.columns
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FormatError(file: path, message: "cannot open the EDF file")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(block.dataOffset))
            data = try handle.read(upToCount: count * block.type.size) ?? Data()
        } catch {
            throw FormatError(file: path, message: "cannot read EDF block \(index): \(error.localizedDescription)")
        }
        guard data.count == count * block.type.size else {
            throw FormatError(file: path, message: "EDF block \(index) is cut short")
        }
        return data.withUnsafeBytes { raw in Self.convert(raw, count: count, type: block.type, bigEndian: block.bigEndian) }
    }

    /// Converts `count` stored values of `type` to float32.
    static func convert(_ raw: UnsafeRawBufferPointer, count: Int, type: ElementType, bigEndian: Bool) -> [Float] {
        func values<T: FixedWidthInteger>(_: T.Type, _ float: (T) -> Float) -> [Float] {
            (0..<count).map { i in
                let stored = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                return float(bigEndian ? T(bigEndian: stored) : T(littleEndian: stored))
            }
        }
        switch type {
        case .int8: return values(Int8.self) { Float($0) }
        case .uint8: return values(UInt8.self) { Float($0) }
        case .int16: return values(Int16.self) { Float($0) }
        case .uint16: return values(UInt16.self) { Float($0) }
        case .int32: return values(Int32.self) { Float($0) }
        case .uint32: return values(UInt32.self) { Float($0) }
        case .int64: return values(Int64.self) { Float($0) }
        case .uint64: return values(UInt64.self) { Float($0) }
        case .float32: return values(UInt32.self) { Float(bitPattern: $0) }
        case .float64: return values(UInt64.self) { Float(Double(bitPattern: $0)) }
        case .string: preconditionFailure("EDF data are never strings")
        }
    }
}
