import Foundation
import HDF5
import MPI
import Testing

/// HDF5 round trips, serial (POSIX driver) and through the MPI-IO driver in a one-rank MPI singleton.
@MainActor @Suite(.serialized) struct HDF5Tests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bf-\(name)-\(getpid()).h5").path
    }

    @Test("row blocks, strings and attributes round-trip", arguments: [false, true])
    func roundTrip(parallel: Bool) throws {
        let path = Self.temporaryPath("roundtrip-\(parallel)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let comm: Communicator? = parallel ? MPIRuntime.start() : nil
        let file = try File.create(path, communicator: comm)
        let values = try file.createDataset("/g/values", type: .float32, shape: [6, 3])
        try values.write((0..<12).map { Double($0) }, rows: [0..<2, 4..<6])  // converted to float32
        try values.write([Double](repeating: -1, count: 6), rows: [2..<4])
        try values.write([Double](), rows: [])  // a rank without rows
        let names = try file.createDataset("/g/names", type: .string(length: 8), shape: [3])
        try names.writeStrings(["a", "bé", "12345678"], rows: [0..<3])
        let counts = try file.createDataset("/g/counts", type: .uint16, shape: [4], chunk: [2], deflate: 4)
        try counts.write([UInt16(1), 2, 3, 65535], rows: [0..<4])
        try file.setAttribute("s", .string("ünïcode"))
        try file.setAttribute("list", .strings(["x", "y"]), on: "/g")
        try file.setAttribute("n", .int(-3), on: "/g/values")
        try values.setAttribute("v", .doubles([1.5, 2.5]))
        try file.close()

        let back = try File.open(path)
        let read = try back.openDataset("/g/values")
        #expect(read.type == .float32 && read.shape == [6, 3])
        #expect(try read.read(Double.self) == [0, 1, 2, 3, 4, 5, -1, -1, -1, -1, -1, -1, 6, 7, 8, 9, 10, 11])
        #expect(try read.read(Float.self, rows: 4..<5) == [6, 7, 8])
        #expect(try back.openDataset("/g/names").readStrings() == ["a", "bé", "12345678"])
        #expect(try back.openDataset("/g/counts").read(UInt16.self) == [1, 2, 3, 65535])
        #expect(try back.attribute("s") == .string("ünïcode"))
        #expect(try back.attribute("list", on: "/g") == .strings(["x", "y"]))
        #expect(try back.attribute("n", on: "/g/values") == .int(-3))
        #expect(try back.attribute("v", on: "/g/values") == .doubles([1.5, 2.5]))
        #expect(try back.attribute("absent") == nil)
        #expect(try back.exists("/g/names") && !back.exists("/g/nothing") && !back.exists("/h/x"))
        try back.close()
    }

    @Test("hyperslabs along any dimension read back in row-major order")
    func hyperslab() throws {
        let path = Self.temporaryPath("slab")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try File.create(path)
        let cube = try file.createDataset("scan", type: .uint16, shape: [3, 4, 5])
        try cube.write((0..<60).map { UInt16($0) }, rows: [0..<3])
        // Rows 1..<3 of every projection, columns 2..<4: element (p, r, c) holds 20p + 5r + c.
        let slab = try cube.read(UInt16.self, offset: [0, 1, 2], count: [3, 2, 2])
        #expect(slab == [7, 8, 12, 13, 27, 28, 32, 33, 47, 48, 52, 53])
        #expect(throws: HDF5Error.self) { try cube.read(UInt16.self, offset: [0, 3, 0], count: [1, 2, 5]) }
        try file.close()
    }

    @Test("a fill value makes unwritten rows read back as that value")
    func fillValue() throws {
        let path = Self.temporaryPath("fill")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try File.create(path)
        let flags = try file.createDataset("done", type: .uint8, shape: [5], fillValue: 0)
        try flags.write([UInt8(1)], rows: [2..<3])
        #expect(try flags.read(UInt8.self) == [0, 0, 1, 0, 0])
        try file.close()
    }

    @Test("HDF5 failures become errors carrying HDF5's message")
    func errors() throws {
        do {
            _ = try File.open("/nonexistent/dir/file.h5")
            Issue.record("opening a missing file did not throw")
        } catch let error as HDF5Error {
            #expect(error.function == "H5Fopen")
            #expect(error.description.contains("/nonexistent/dir/file.h5"))
            #expect(!error.stack.isEmpty)
        }
        let path = Self.temporaryPath("errors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try File.create(path)
        let names = try file.createDataset("names", type: .string(length: 4), shape: [1])
        #expect(throws: HDF5Error.self) { try names.writeStrings(["too long"], rows: [0..<1]) }
        let values = try file.createDataset("values", type: .float64, shape: [2, 2])
        #expect(throws: HDF5Error.self) { try values.write([1.0, 2.0, 3.0], rows: [0..<2]) }
        #expect(throws: HDF5Error.self) { try values.write([1.0, 2.0], rows: [2..<3]) }
        try file.close()
    }
}
