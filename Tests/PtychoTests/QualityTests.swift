import Core
import Foundation
import Testing
@testable import Ptycho

/// The pure pieces of ptycho-qc: features of small patterns, the eigensolver, robust scores and rejection rules.
@Suite struct QualityTests {
    /// One bright pixel two rows below and one column left of the centre (2, 2) of a 4 × 4 pattern.
    @Test func featuresOfASinglePixel() {
        var pattern = [Float](repeating: 0, count: 16)
        pattern[3 * 4 + 1] = 8
        var valid = [Bool](repeating: true, count: 16)
        valid[0] = false
        let f = FrameFeatures(pattern: pattern, rows: 4, columns: 4, valid: valid, staticBad: nil, side: 2)
        #expect(f.total == 8 && f.maximum == 8 && f.saturated == 1)
        #expect(f.comRowPx == 1 && f.comColumnPx == -1)
        #expect(abs(f.radialMeanPx - 2.0.squareRoot()) < 1e-15 && abs(f.radialRMSPx - 2.0.squareRoot()) < 1e-15)
        // Mean 8/15, population σ = √(64/15 − (8/15)²).
        let mean = 8.0 / 15, sigma = (64.0 / 15 - mean * mean).squareRoot()
        #expect(abs(f.contrast - sigma / mean) < 1e-12)
        // Block (1, 0) holds log(9) once among its 4 pixels; block (0, 0) has 3 valid pixels of 0.
        #expect(f.embedding == [0, 0, log1p(8.0) / 4, 0])
    }

    /// [[2, 1, 0], [1, 2, 0], [0, 0, 5]] has eigenvalues 5, 3, 1 with vectors e₃, (1, 1, 0)/√2, (1, −1, 0)/√2.
    @Test func jacobiFindsTheEigenpairs() {
        let e = SymmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], n: 3)
        #expect(zip(e.values, [5.0, 3, 1]).allSatisfy { abs($0 - $1) < 1e-13 })
        let v = e.vectors[1]
        #expect(abs(abs(v[0]) - 0.5.squareRoot()) < 1e-13 && abs(v[0] - v[1]) < 1e-13 && abs(v[2]) < 1e-13)
    }

    @Test func pcaOfPointsOnALineHasNoError() {
        let points = (0..<10).map { t in [Double(t), 2 * Double(t), 1] }
        let pca = PatternPCA(blockSums: [PatternPCA.blockSums(Array(points[..<4]), d: 3),
                                         PatternPCA.blockSums(Array(points[4...]), d: 3)], n: 10, d: 3, k: 1)
        #expect(points.allSatisfy { pca.error($0) < 1e-12 })
        #expect(abs(pca.error([0, 0, 2]) - (1.0 / 3).squareRoot()) < 1e-12)
    }

    @Test func robustScoresUseTheFloorAndOneSidedFeatures() {
        let score = RobustScore(features: [.init(name: "a", oneSided: false, floor: 0.5),
                                           .init(name: "b", oneSided: true, floor: 1)],
                                columns: [[1, 1, 1, 1, 4], [0, 0, 0, 0, -9]], halfScoreZ: 6)
        #expect(score.scales == [0.5, 1])
        #expect(score.z(4, feature: 0) == 6 && score.z(-9, feature: 1) == 0)
        let s = score.score([4, -9])
        #expect(s.score == 0.5 && s.worst == 0 && s.z == 6)
    }

    @Test func rulesRejectTheHighestScoresAmongTheCandidates() {
        let scores = [0.1, 0.9, 0.9, 0.6, 0.2]
        let all = [Bool](repeating: true, count: 5)
        #expect(RejectionRule.topK(2).rejected(scores: scores, candidates: all) == [false, true, true, false, false])
        #expect(RejectionRule.topK(1).rejected(scores: scores, candidates: all) == [false, true, false, false, false])
        #expect(RejectionRule.topFraction(0.5).rejected(scores: scores, candidates: all) == [false, true, true, true, false])
        #expect(RejectionRule.threshold(0.5).rejected(scores: scores, candidates: [true, false, true, true, true])
                == [false, false, true, true, false])
        #expect(RejectionRule.Region.circle(cx: -1, cy: 0, radius: 1).contains(x: 0, y: 0))
        #expect(!RejectionRule.Region.rectangle(cx: 0, cy: 0, width: 2, height: 1).contains(x: 0, y: 0.6))
    }

    /// A 3 × 2 raster is mapped one cell per position; scattered positions all lie inside the gridded extent, and
    /// every mapped cell holds some position's value.
    @Test func scanMapsGridRastersAndScatteredScans() {
        let x = [0.0, 1e-6, 2e-6, 0, 1e-6, 2e-6], y = [0.0, 0, 0, 1e-6, 1e-6, 1e-6]
        let raster = ScanMap(x: x, y: y, values: (0..<6).map(Double.init))
        #expect(raster.isRaster && raster.width == 3 && raster.height == 2 && raster.values == [0, 1, 2, 3, 4, 5])
        let angles = (0..<40).map { Double($0) * 2.4 }, radii = (0..<40).map { 1e-6 * Double($0).squareRoot() }
        let sx = zip(radii, angles).map { $0 * cos($1) }, sy = zip(radii, angles).map { $0 * sin($1) }
        let spiral = ScanMap(x: sx, y: sy, values: (0..<40).map(Double.init))
        #expect(!spiral.isRaster)
        #expect(sx.allSatisfy { spiral.x.contains($0) } && sy.allSatisfy { spiral.y.contains($0) })
        #expect(zip(spiral.values, spiral.mask).allSatisfy { v, m in m == 1 ? v.isNaN : (0..<40).contains(Int(v)) })
    }

    /// `PATH[:,K]` names a column; other brackets are refused.
    @Test func datasetColumnsParse() throws {
        let c = try DatasetColumn(parsing: "/entry_1/sample_1/geometry_1/translation[:, 1]", key: "pos_y_path")
        #expect(c.path == "/entry_1/sample_1/geometry_1/translation" && c.column == 1)
        #expect(try DatasetColumn(parsing: "/pos/x", key: "k").column == nil)
        #expect(throws: ConfigError.self) { try DatasetColumn(parsing: "/t[0,:]", key: "k") }
    }

    /// Features stored by ptycho-ingest --qc come back as computed.
    @Test func storedFeaturesRoundTrip() {
        let pattern: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 160]
        let valid = (0..<16).map { $0 != 5 }
        let f = FrameFeatures(pattern: pattern, rows: 4, columns: 4, valid: valid, staticBad: nil, side: 2)
        #expect(f.stored.count == FrameFeatures.storedColumns.count)
        #expect(FrameFeatures(stored: f.stored, embedding: f.embedding) == f)
    }
}
