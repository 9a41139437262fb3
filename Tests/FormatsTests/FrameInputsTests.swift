import Core
import Foundation
import HDF5
import LibTIFF
import Testing
import Formats

/// The frame formats registry and the expansion of inputs into frames, on real TIFF and HDF5 files.
@Suite struct FrameInputsTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["b.tif", "a.tiff"] {
            try TIFF.write([UInt16](repeating: 7, count: 12), rows: 3, columns: 4, to: directory + "/" + name)
        }
        let file = try File.create(directory + "/stack.h5")
        let data = try file.createDataset("/entry/data/data", type: .uint16, shape: [5, 3, 4])
        try data.write((0..<60).map { UInt16($0) }, rows: [0..<5])
        try file.close()
        try "# frames\nstack.h5\n\nb.tif\n".write(toFile: directory + "/list.txt", atomically: true, encoding: .utf8)
    }

    @Test func formatsAreFoundByExtension() {
        #expect(FrameFormat.of("x/frame.TIF")?.name == "TIFF")
        #expect(FrameFormat.of("scan.nxs")?.name == "HDF5/NeXus")
        #expect(FrameFormat.of("notes.txt") == nil)
    }

    @Test func directoriesListAndListsFollowTheirOrder() throws {
        let inputs = try FrameInputs([directory, "@" + directory + "/list.txt"], dataPath: nil)
        #expect(inputs.files.map { ($0.path as NSString).lastPathComponent } == ["a.tiff", "b.tif", "stack.h5", "b.tif"])
        #expect(inputs.count == 1 + 1 + 5 + 1)
        #expect(inputs.frameName(0) == "a" && inputs.frameName(3) == "stack_00001")
        #expect(try inputs.firstFrameSize() == (3, 4))
    }

    @Test func framesReadAsStoredOrAsFloat() throws {
        let inputs = try FrameInputs([directory + "/stack.h5", directory + "/b.tif"], dataPath: nil)
        let stack = inputs.files[0], tiff = inputs.files[1]
        #expect(stack.pixelType == .uint16 && stack.storedType == .uint16 && tiff.storedType == nil)
        var raw = [UInt16](repeating: 0, count: 24)
        try raw.withUnsafeMutableBytes { bytes in
            var span = bytes.mutableBytes
            let stored = try stack.read(frames: 2..<4, as: .uint16, rows: 3, columns: 4, into: &span)
            #expect(stored == .uint16)
        }
        #expect(raw == (24..<48).map { UInt16($0) })
        var floats = [Float](repeating: 0, count: 12)
        try floats.withUnsafeMutableBytes { bytes in
            var span = bytes.mutableBytes
            let stored = try tiff.read(frames: 0..<1, as: .float32, rows: 3, columns: 4, into: &span)
            #expect(stored == .uint16)
        }
        #expect(floats == [Float](repeating: 7, count: 12))
    }

    @Test func badInputsNameTheFileAtFault() throws {
        #expect(throws: FormatError.self) { try FrameInputs([directory + "/list.txt"], dataPath: nil) }
        let tiff = try FrameInputs([directory + "/b.tif"], dataPath: nil).files[0]
        var floats = [Float](repeating: 0, count: 20)
        let error = floats.withUnsafeMutableBytes { bytes -> FormatError? in
            var span = bytes.mutableBytes
            do { _ = try tiff.read(frames: 0..<1, as: .float32, rows: 5, columns: 4, into: &span) } catch { return error as? FormatError }
            return nil
        }
        #expect(error?.file == directory + "/b.tif" && error?.message.contains("3 × 4") == true)
    }
}
