import Core
import Foundation
import Testing
@testable import Formats

@Suite struct NPYTests {
    @Test func headerRoundTripsAndAlignsTheData() throws {
        let header = NPYHeader(descr: "|u1", shape: [1801, 2160, 2560])
        let encoded = header.encoded()
        #expect(encoded.count % 64 == 0)
        let parsed = try #require(try NPYHeader.parse(encoded, source: "test"))
        #expect(parsed.header == header)
        #expect(parsed.dataOffset == encoded.count)
        let one = NPYHeader(descr: "<f4", shape: [5])
        #expect(try NPYHeader.parse(one.encoded(), source: "test")?.header == one)
    }

    @Test func archiveWritesAndStreamsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let values = (0..<3000).map { UInt8($0 % 7) }
        for key in ["a", "b", "a"] {
            let header = NPYHeader(descr: "|u1", shape: [3, 1000])
            try NPZ.write(key: key, header: header, elementSize: 1, to: path) { offset, bytes in
                for i in 0..<bytes.byteCount {
                    bytes.storeBytes(of: values[offset + i], toByteOffset: i, as: UInt8.self)
                }
            }
        }
        #expect(try NPZ.members(of: path).keys.sorted() == ["a", "b"])
        var read = [UInt8]()
        try NPZ.read(key: "b", from: path) { offset, bytes in
            #expect(offset == read.count)
            bytes.withUnsafeBytes { read += $0 }
        }
        #expect(read == values)
        #expect(throws: FormatError.self) { try NPZ.read(key: "c", from: path) { _, _ in } }
    }

    /// A write that fails half-way (the data's source fails) leaves an existing archive as it was, with every
    /// member readable, and no new archive or leftover behind.
    @Test func failedWriteLeavesTheArchiveAsItWas() throws {
        struct SourceFailed: Error {}
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("masks.npz").path
        let header = NPYHeader(descr: "|u1", shape: [4, 1 << 20])
        let values = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        /// Writes `key`, failing after `failAfter` bytes when given.
        func write(_ key: String, to path: String, failAfter: Int? = nil) throws {
            try NPZ.write(key: key, header: header, elementSize: 1, to: path) { offset, bytes in
                if let failAfter, offset + bytes.byteCount > failAfter { throw SourceFailed() }
                for i in 0..<bytes.byteCount {
                    bytes.storeBytes(of: values[offset + i], toByteOffset: i, as: UInt8.self)
                }
            }
        }
        try write("a", to: path)
        try write("b", to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try write("c", to: path, failAfter: 3 << 20) }
        #expect(throws: (any Error).self) { try write("a", to: path, failAfter: 2 << 20) }  // replacing a member
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try NPZ.members(of: path).keys.sorted() == ["a", "b"])
        var read = [UInt8]()
        try NPZ.read(key: "a", from: path) { _, bytes in bytes.withUnsafeBytes { read += $0 } }
        #expect(read == values)
        let fresh = directory.appendingPathComponent("new.npz").path
        #expect(throws: (any Error).self) { try write("a", to: fresh, failAfter: 1 << 20) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["masks.npz"])
    }
}
