import Core
import Foundation
import POSIX
import ZIPFoundation

/// The header of a NumPy `.npy` array (format versions 1.0–3.0): element type, memory order and shape.
public struct NPYHeader: Sendable, Equatable {
    /// The NumPy type string, e.g. `|u1` or `<f4`.
    public var descr: String
    /// Whether the data is stored column-major (Fortran order) rather than row-major.
    public var fortranOrder: Bool
    /// The array's extent; `[]` for a scalar.
    public var shape: [Int]

    /// A header for an array of type `descr` and extent `shape`, row-major unless `fortranOrder`.
    public init(descr: String, fortranOrder: Bool = false, shape: [Int]) {
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// The encoded header, version 1.0, padded with spaces so that the data starts at a multiple of 64 bytes as
    /// NumPy writes it.
    public func encoded() -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': (\(dims)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(dict.utf8))
        return data
    }

    /// Parses the header at the start of `data`; returns it and the offset of the array's first byte, or nil
    /// when `data` does not yet hold the whole header.
    /// - Throws: ``FormatError`` when `data` is not an .npy header.
    public static func parse(_ data: Data, source: String) throws(FormatError) -> (header: NPYHeader, dataOffset: Int)? {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10 else { return nil }
        guard bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw FormatError(file: source, message: "not a NumPy .npy array (bad magic)")
        }
        let major = bytes[6]
        let start: Int, length: Int
        switch major {
        case 1:
            start = 10
            length = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { return nil }
            start = 12
            length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw FormatError(file: source, message: "unsupported .npy format version \(major)")
        }
        guard data.count >= start + length else { return nil }
        let text = String(decoding: data[data.startIndex + start..<data.startIndex + start + length], as: UTF8.self)
        func value(_ key: String) -> Substring? {
            guard let range = text.range(of: "'\(key)':") else { return nil }
            return text[range.upperBound...].drop(while: { $0 == " " })
        }
        guard let descrText = value("descr"), descrText.first == "'",
              let close = descrText.dropFirst().firstIndex(of: "'") else {
            throw FormatError(file: source, message: ".npy header without a descr: \(text)")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        guard let orderText = value("fortran_order") else {
            throw FormatError(file: source, message: ".npy header without fortran_order: \(text)")
        }
        guard let shapeText = value("shape"), shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw FormatError(file: source, message: ".npy header without a shape: \(text)")
        }
        let dims = shapeText[shapeText.index(after: shapeText.startIndex)..<end]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var shape: [Int] = []
        for dim in dims {
            guard let n = Int(dim.hasSuffix("L") ? String(dim.dropLast()) : dim), n >= 0 else {
                throw FormatError(file: source, message: ".npy header with a bad shape: \(text)")
            }
            shape.append(n)
        }
        return (NPYHeader(descr: descr, fortranOrder: orderText.hasPrefix("True"), shape: shape), start + length)
    }
}

/// A NumPy `.npz` archive: a zip file whose members `<key>.npy` are arrays (`numpy.load(path)[key]`).
///
/// Members are written and read as streams, so an array far larger than memory (a 10 GB stripe mask) passes
/// through in pieces; writing deflates like `numpy.savez_compressed`.
public enum NPZ {
    /// The keys of the arrays in `path`, with their headers.
    /// - Throws: ``FormatError`` naming the file.
    public static func members(of path: String) throws(FormatError) -> [String: NPYHeader] {
        let archive = try open(path, mode: .read)
        var result: [String: NPYHeader] = [:]
        for entry in archive where entry.path.hasSuffix(".npy") {
            let key = String(entry.path.dropLast(4))
            result[key] = try header(of: entry, in: archive, path: path)
        }
        return result
    }

    /// Adds array `key` to the archive at `path` (created when missing; an existing member of that key is
    /// replaced). `fill(offset, bytes)` supplies the array's bytes from byte `offset` on, in C order, filling all of
    /// `bytes`, and is called with increasing offsets. The archive is written as `<path>.partial` (a copy of the
    /// existing one, which is small: members are deflated) and renamed over `path` once complete, so a failure or
    /// an interruption leaves the archive as it was.
    /// - Throws: ``FormatError`` naming the file and key, or the error `fill` throws.
    public static func write(key: String, header: NPYHeader, elementSize: Int, to path: String,
                             fill: (_ offset: Int, _ bytes: inout MutableRawSpan) throws -> Void) throws {
        let partial = path + ".partial"
        let files = FileManager.default
        try? files.removeItem(atPath: partial)
        do {
            let exists = files.fileExists(atPath: path)
            if exists {
                do { try files.copyItem(atPath: path, toPath: partial) } catch {
                    throw FormatError(file: partial, message: "cannot copy the archive to extend it: \(error)")
                }
            }
            try addMember(key: key, header: header, elementSize: elementSize, to: partial, creating: !exists,
                          named: path, fill: fill)
            do { try FileSystem.rename(partial, to: path) } catch {
                throw FormatError(file: path, message: "cannot replace the archive: \(error)")
            }
        } catch {
            try? files.removeItem(atPath: partial)
            throw error
        }
    }

    /// Writes array `key` into the archive at `file` (errors name `path`); the archive is closed on return.
    private static func addMember(key: String, header: NPYHeader, elementSize: Int, to file: String, creating: Bool,
                                  named path: String,
                                  fill: (_ offset: Int, _ bytes: inout MutableRawSpan) throws -> Void) throws {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: file), accessMode: creating ? .create : .update) } catch {
            throw FormatError(file: path, message: "cannot \(creating ? "create" : "open") the archive: \(error)")
        }
        let name = key + ".npy"
        do {
            if let old = archive[name] { try archive.remove(old) }
            let head = header.encoded()
            let dataBytes = header.shape.reduce(1, *) * elementSize
            let total = Int64(head.count + dataBytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: total, compressionMethod: .deflate,
                                 bufferSize: 1 << 20) { position, size in
                var chunk = Data(count: size)
                var filled = 0
                let position = Int(position)
                if position < head.count {
                    let n = min(size, head.count - position)
                    chunk.replaceSubrange(0..<n, with: head[position..<position + n])
                    filled = n
                }
                if filled < size {
                    try chunk.withUnsafeMutableBytes { buffer in
                        var bytes = MutableRawSpan(_unsafeBytes: buffer[filled...])
                        try fill(position + filled - head.count, &bytes)
                    }
                }
                return chunk
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "writing array \(key): \(error)")
        }
    }

    /// Streams array `key` of the archive at `path`: `body(offset, bytes)` receives the array's bytes (after the
    /// header) in order, `offset` counting from the array's first byte.
    /// - Returns: the array's header.
    /// - Throws: ``FormatError`` naming the file and key (a missing key lists those present).
    @discardableResult
    public static func read(key: String, from path: String,
                            check: (NPYHeader) throws -> Void = { _ in },
                            body: (_ offset: Int, _ bytes: RawSpan) throws -> Void) throws -> NPYHeader {
        let archive = try open(path, mode: .read)
        guard let entry = archive[key + ".npy"] else {
            let keys = archive.filter { $0.path.hasSuffix(".npy") }.map { String($0.path.dropLast(4)) }.sorted()
            throw FormatError(file: path, message: "no array '\(key)' in the archive; it holds "
                              + (keys.isEmpty ? "no arrays" : keys.joined(separator: ", ")))
        }
        var pending = Data()
        var parsed: (header: NPYHeader, dataOffset: Int)?
        var offset = 0
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { data in
                if parsed == nil {
                    pending.append(data)
                    guard let found = try NPYHeader.parse(pending, source: path + " [\(key)]") else { return }
                    try check(found.header)
                    parsed = found
                    let rest = pending.dropFirst(found.dataOffset)
                    try body(offset, rest.bytes)
                    offset += rest.count
                    pending = Data()
                    return
                }
                try body(offset, data.bytes)
                offset += data.count
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "reading array \(key): \(error)")
        }
        guard let parsed else { throw FormatError(file: path, message: "array \(key) has no complete .npy header") }
        return parsed.header
    }

    private static func open(_ path: String, mode: Archive.AccessMode) throws(FormatError) -> Archive {
        do { return try Archive(url: URL(fileURLWithPath: path), accessMode: mode) } catch {
            throw FormatError(file: path, message: mode == .create ? "cannot create the archive: \(error)"
                              : "cannot open as a zip (.npz) archive: \(error)")
        }
    }

    private static func header(of entry: Entry, in archive: Archive, path: String) throws(FormatError) -> NPYHeader {
        struct Done: Error {}
        var pending = Data()
        var found: NPYHeader?
        var failure: FormatError?
        do {
            _ = try archive.extract(entry, bufferSize: 4096, skipCRC32: true) { data in
                pending.append(data)
                do {
                    if let parsed = try NPYHeader.parse(pending, source: path + " [\(entry.path)]") {
                        found = parsed.header
                        throw Done()
                    }
                } catch let error as FormatError {
                    failure = error
                    throw Done()
                }
            }
        } catch is Done {
        } catch {
            throw FormatError(file: path, message: "reading \(entry.path): \(error)")
        }
        if let failure { throw failure }
        guard let found else { throw FormatError(file: path, message: "\(entry.path) has no complete .npy header") }
        return found
    }
}
