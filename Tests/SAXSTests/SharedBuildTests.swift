import Core
import Foundation
import SAXS
import Testing

/// A stand-in for a run of `processes` ranks: each part is built on its own, in reverse order, and travels as bytes.
func sharded(_ processes: Int) -> SharedBuild {
    SharedBuild(processes: processes) { count, part in
        var parts = [[UInt8]](repeating: [], count: count)
        for index in (0..<count).reversed() { parts[index] = Array(try part(index)) }
        return parts
    }
}

@Suite struct SharedBuildTests {
    @Test("sparse matrices travel as bytes without losing a bit")
    func sparseRoundTrip() {
        let grid = UniformGrid(start: 0, step: 0.01, count: 50)
        let whole = PinholeResolution.matrix(targets: grid.nodes, sigma: 0.02, grid: grid)
        var joined = SparseMatrix(columnCount: grid.count)
        joined.appendRows(encoded: PinholeResolution.matrix(targets: grid.nodes[0..<17], sigma: 0.02, grid: grid).encoded())
        joined.appendRows(encoded: PinholeResolution.matrix(targets: grid.nodes[17...], sigma: 0.02, grid: grid).encoded())
        #expect(joined.rowStart == whole.rowStart && joined.columns == whole.columns)
        #expect(joined.values.map(\.bitPattern) == whole.values.map(\.bitPattern))
    }

    @Test("a detector response built in parts by 3 ranks equals the serial one bit for bit")
    func detectorLevels() throws {
        let serial = try DetectorResponse(instrument: .xeuss, mask: nil, key: "instruments.0")
        var shared = try DetectorResponse(instrument: .xeuss, mask: nil, key: "instruments.0", levels: nil)
        #expect(shared.levels.isEmpty)
        shared.buildLevels(sharded(3))
        #expect(shared.levels.count == serial.levels.count)
        for (a, b) in zip(shared.levels, serial.levels) {
            for (x, y) in [(a.smearing, b.smearing), (a.binning, b.binning)] {
                #expect(x.rowStart == y.rowStart && x.columns == y.columns)
                #expect(x.values.map(\.bitPattern) == y.values.map(\.bitPattern))
            }
        }
    }
}
