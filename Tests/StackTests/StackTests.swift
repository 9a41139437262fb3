import Core
import Formats
import Foundation
import Sinograms
import Testing
@testable import Stack

@Suite struct ResizeTests {
    @Test func weightsOfEachOutputSampleSumToOne() {
        for (input, output) in [(1801, 402), (2560, 362), (60, 30), (64, 32), (10, 10)] {
            let axis = ResizeAxis(input: input, output: output)
            for o in 0..<output {
                let sum = axis.weights[o * axis.width..<(o + 1) * axis.width].reduce(0, +)
                #expect(abs(sum - 1) < 1e-12, "\(input) → \(output), sample \(o)")
                #expect(axis.starts[o] >= 0 && axis.starts[o] + axis.width <= input)
            }
        }
    }

    @Test func sameSizeIsTheIdentity() {
        let axis = ResizeAxis(input: 7, output: 7)
        #expect(ResizeAxis.sigma(input: 7, output: 7) == 0)
        for o in 0..<7 {
            for k in 0..<axis.width {
                let expected: Double = axis.starts[o] + k == o ? 1 : 0
                #expect(axis.weights[o * axis.width + k] == expected)
            }
        }
    }

    @Test func scikitImageSigmas() {
        // docs/reference/tomography.md §7.2: 1.74 for 1801 → 402 and 3.04 for 2560 → 362.
        #expect(abs(ResizeAxis.sigma(input: 1801, output: 402) - 1.74) < 0.005)
        #expect(abs(ResizeAxis.sigma(input: 2560, output: 362) - 3.04) < 0.005)
    }
}

@Suite struct StripeMaskTests {
    /// The mirrored window count against counting the C code's window one index at a time.
    @Test func countsAlongAnglesMatchTheMirroredWindow() {
        var generator = SystemRandomNumberGenerator()
        let angles = 23, columns = 3, half = 9
        let values = (0..<angles * columns).map { _ in UInt8.random(in: 0...1, using: &generator) }
        var prefix = [Int32](repeating: 0, count: (angles + 1) * columns)
        var counts = [Int32](repeating: 0, count: columns)
        var seen = 0
        StripeMask.countAlongAngles(values, angles: angles, columns: columns, half: half, prefix: &prefix,
                                    counts: &counts) { k, n in
            #expect(k == seen)
            seen += 1
            for i in 0..<columns {
                var expected: Int32 = 0
                for m in -half...half {
                    var k1 = k + m
                    if k1 < 0 || k1 >= angles { k1 = k - m }
                    expected += Int32(values[k1 * columns + i])
                }
                #expect(n[i] == expected, "k \(k), i \(i)")
            }
        }
        #expect(seen == angles)
    }

    @Test func ratioIsSmallerOverLargerAndZeroForEmptyMeans() {
        #expect(StripeMask.ratio(1, 4) == 0.25)
        #expect(StripeMask.ratio(4, 1) == 0.25)
        #expect(StripeMask.ratio(0, 0) == 0)
        #expect(StripeMask.ratio(0, 3) == 0)
    }

    @Test func nostripesnetDefaultsNeed18GhostRows() {
        #expect(StripeMaskSettings().ghostRows == 18)
        #expect(StripeMaskSettings().problem(angles: 1801, rows: 2160, columns: 2560) == nil)
        #expect(StripeMaskSettings().problem(angles: 600, rows: 2160, columns: 2560)?.key == "mask")
    }
}

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
            try NPZ.write(key: key, header: NPYHeader(descr: "|u1", shape: [3, 1000]), elementSize: 1, to: path) { offset, buffer in
                for i in 0..<buffer.count { buffer[i] = values[offset + i] }
            }
        }
        #expect(try NPZ.members(of: path).keys.sorted() == ["a", "b"])
        var read = [UInt8]()
        try NPZ.read(key: "b", from: path) { offset, bytes in
            #expect(offset == read.count)
            read += bytes
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
            try NPZ.write(key: key, header: header, elementSize: 1, to: path) { offset, buffer in
                if let failAfter, offset + buffer.count > failAfter { throw SourceFailed() }
                for i in 0..<buffer.count { buffer[i] = values[offset + i] }
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
        try NPZ.read(key: "a", from: path) { _, bytes in read += bytes }
        #expect(read == values)
        let fresh = directory.appendingPathComponent("new.npz").path
        #expect(throws: (any Error).self) { try write("a", to: fresh, failAfter: 1 << 20) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["masks.npz"])
    }
}

@Suite struct AbsorptionTests {
    /// Units in the last place between two positive floats.
    static func ulps(_ a: Float, _ b: Float) -> Int { abs(Int(a.bitPattern) - Int(b.bitPattern)) }

    @Test("logPositive is within 2 ulp of libm's logf from subnormals to the largest float, and exact at 1 and ∞")
    func logMatchesLibm() {
        var x: Float = .leastNonzeroMagnitude
        var worst = 0
        while x < .greatestFiniteMagnitude / 1.01 {
            let expected = log(x)
            // Relative to the result's size: ulps of ln x (near x = 1 the result is tiny and ulps are meaningless).
            let error = abs(Double(Absorption.logPositive(x)) - Double(expected)) / Double(max(abs(expected).ulp, Float.ulpOfOne.ulp))
            if abs(x - 1) > 1e-3 { worst = max(worst, Int(error.rounded(.up))) }
            x = max(x * 1.0137, x.nextUp)
        }
        #expect(worst <= 2)
        #expect(Absorption.logPositive(1) == 0)
        #expect(Absorption.logPositive(.infinity) == .infinity)
        #expect(abs(Absorption.logPositive(1e-9) - log(Float(1e-9))) <= log(Float(1e-9)).ulp)
    }

    @Test("absorption is −ln of the guarded transmission, whatever the plane's length")
    func absorptionOfOnePlane() {
        let flat: [Float] = [1000, 1000, 50, 100, 100, 2000, 900, 10, 10]
        let dark: [Float] = [100, 100, 50, 100, 100, 100, 100, 10, 20]
        var slab: [Float] = [550, 1000, 60, 50, .nan, 2000, 100, 10, 30]
        let absorption = Absorption(flat: flat, dark: dark)
        slab.withUnsafeMutableBufferPointer { absorption.apply(to: $0) }
        // The uint16 path, a line at a time (here two pieces of the plane), gives the same values.
        let raw: [UInt16] = [550, 1000, 60, 50, 0, 2000, 100, 10, 30]
        var widened = [Float](repeating: 0, count: raw.count)
        raw.withUnsafeBufferPointer { r in
            widened.withUnsafeMutableBufferPointer { w in
                absorption.apply(r.baseAddress!, count: 4, at: 0, into: w.baseAddress!)
                absorption.apply(r.baseAddress! + 4, count: 5, at: 4, into: w.baseAddress! + 4)
            }
        }
        for i in [0, 1, 2, 3, 5, 6, 7, 8] { #expect(widened[i] == slab[i]) }
        let expected: [Float] = [-log(Float(0.5)), 0, -log(Float(10) / 1e-6), -log(Float(1e-9)), -log(Float(1e-9)),
                                 -log(Float(1900) / 1900), -log(Float(1e-9)), -log(Float(1e-9)), -log(Float(10) / 1e-6)]
        for (got, want) in zip(slab, expected) { #expect(abs(got - want) <= 2 * max(want.ulp, Float.ulpOfOne)) }
    }
}
