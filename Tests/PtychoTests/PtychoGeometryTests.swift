import Core
import Testing
@testable import Ptycho

@Suite struct PtychoGeometryTests {
    /// Clockwise rotations and flips land on ptypy's codes (4·transpose + 2·flipud + fliplr): np.rot90(a, -1) is
    /// a.T[:, ::-1] (5), np.rot90(a, 2) is a[::-1, ::-1] (3), np.rot90(a, 1) is a.T[::-1, :] (6).
    @Test func rotationsAndFlipsAreThePtypyCodes() {
        #expect(Orientation(rotateClockwise: 0, flip: "none").code == 0)
        #expect(Orientation(rotateClockwise: 0, flip: "h").code == 1)
        #expect(Orientation(rotateClockwise: 0, flip: "v").code == 2)
        #expect(Orientation(rotateClockwise: 0, flip: "hv").code == 3)
        #expect(Orientation(rotateClockwise: 90, flip: "none").code == 5)
        #expect(Orientation(rotateClockwise: 180, flip: "none").code == 3)
        #expect(Orientation(rotateClockwise: 270, flip: "none").code == 6)
        // 90° clockwise then a left–right mirror is a plain transpose.
        #expect(Orientation(rotateClockwise: 90, flip: "h").code == 4)
    }

    /// Pixel (0, 0) of a 2 × 3 frame rotated 90° clockwise lands in the top-right corner of the 3 × 2 result.
    @Test func orientationMapsPixels() {
        let o = Orientation(code: 5)
        #expect(o.orientedSize(rows: 2, columns: 3) == (3, 2))
        #expect(o.source(r: 0, c: 1, rows: 2, columns: 3) == (0, 0))
        #expect(o.source(r: 2, c: 0, rows: 2, columns: 3) == (1, 2))
    }

    /// A window past the edge is padded (−1 sources), never shifted.
    @Test func windowPastTheEdgeIsPadded() {
        let w = FrameWindow(frameRows: 4, frameColumns: 4, orientation: Orientation(), roi: (4, 4), centre: (0, 0))
        #expect(w.origin == (-2, -2))
        #expect(w.padded == 12)
        #expect(w.sources[2 * 4 + 2] == 0)
        #expect(w.sources[3 * 4 + 3] == 5)
        #expect(w.sources[0] == -1)
    }

    @Test func quantitiesNeedUnits() throws {
        #expect(try Quantity(parsing: "7keV", kind: .energy, key: "energy").value == 7000)
        #expect(abs(try Quantity(parsing: "172um", kind: .length, key: "pixel_size").value - 172e-6) < 1e-18)
        #expect(try Quantity(parsing: "2 m", kind: .length, key: "distance").value == 2)
        #expect(throws: ConfigError.self) { try Quantity(parsing: "7000", kind: .energy, key: "energy") }
        #expect(throws: ConfigError.self) { try Quantity(parsing: "2 furlong", kind: .length, key: "distance") }
    }

    @Test func pathsCarryUnitsAndAttributes() {
        #expect(QuantitySource(path: "/a/Energy[keV]") == .dataset(path: "/a/Energy", unit: "keV"))
        #expect(QuantitySource(path: "/entry@energy") == .attribute(object: "/entry", name: "energy", unit: nil))
    }

    /// Hot pixels from the darks, dead pixels from the flat; the flat is normalised to mean 1 over valid pixels.
    @Test func responseFindsHotAndDeadPixels() {
        var dark = [Double](repeating: 10, count: 16)
        dark[3] = 500
        var flat = [Double](repeating: 210, count: 16)
        flat[7] = 10
        let r = DetectorResponse(rows: 4, columns: 4, darkMean: dark, flatMean: flat, staticMask: nil,
                                 hotSigma: 10, deadFraction: 0.05)
        #expect(r.bits[3] & MaskBits.hot != 0)
        #expect(r.bits[7] & MaskBits.dead != 0)
        #expect(r.flat[0] == 1)
        #expect(r.flat[7] == 0)
        var frame: ArraySlice<Float> = [5, 30, 10, 600, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
        r.correct(&frame)
        #expect(frame[0] == 0)  // raw < dark: 0 as ptypy
        #expect(frame[1] == 20)
        #expect(frame[7] == 0)  // dead flat
    }

    /// 2 × 2 bins of a 4 × 4 pattern: counts summed, bits OR-ed, valid only when all four pixels are.
    @Test func binningSumsAndMasksAnyBadPixel() {
        let b = PixelBinning(factor: 2, rows: 4, columns: 4)
        #expect(b.binnedRows == 2 && b.binnedColumns == 2)
        #expect(b.sum((0..<16).map(Float.init)) == [10, 18, 42, 50])
        #expect(b.mean((0..<16).map(Float.init)) == [2.5, 4.5, 10.5, 12.5])
        var bits = [Int32](repeating: 0, count: 16)
        (bits[5], bits[6]) = (MaskBits.hot, MaskBits.dead)
        #expect(b.union(bits) == [MaskBits.hot, MaskBits.dead, 0, 0])
        var valid = [UInt8](repeating: 1, count: 16)
        valid[15] = 0
        #expect(b.all(valid) == [1, 1, 1, 0])
        let ones = [Float](repeating: 1, count: 16)
        #expect(PixelBinning(factor: 1, rows: 4, columns: 4).sum(ones) == ones)
        #expect(throws: ConfigError.self) { try PixelBinning.validate(roi: (6, 8), bin: 4, what: "test") }
    }

    /// Regions in metres or with units; a region that has no extent is refused.
    @Test func stageRegionsParseWithUnits() throws {
        let r = try RejectionRule.Region.parsing(rect: ["-1um", "5e-7", "2um", "0.004mm"], circ: nil)
        #expect(r == .rectangle(cx: -1e-6, cy: 5e-7, width: 2e-6, height: 4e-6))
        #expect(try RejectionRule.Region.parsing(rect: nil, circ: ["0", "0", "3nm"]) == .circle(cx: 0, cy: 0, radius: 3 * 1e-9))
        #expect(try RejectionRule.Region.parsing(rect: nil, circ: nil) == nil)
        #expect(throws: ConfigError.self) { try RejectionRule.Region.parsing(rect: ["0", "0", "1um"], circ: nil) }
        #expect(throws: ConfigError.self) { try RejectionRule.Region.parsing(rect: nil, circ: ["0", "0", "-1um"]) }
        #expect(throws: ConfigError.self) { try RejectionRule.Region.parsing(rect: nil, circ: ["0", "0", "1 furlong"]) }
    }
}
