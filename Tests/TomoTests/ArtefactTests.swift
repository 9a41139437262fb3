import Batch
import Core
import FFT
import Foundation
import Sinograms
import Testing
@testable import Tomo

@Suite struct ArtefactTests {
    /// NoStripesNet's simple-mode stripes on 362-column sinograms: 4 stripes of width 2t+1, t uniform in 0...3, at
    /// every angle. The reference measured 14.8 touched columns per sinogram (4.1 %) on average, minimum 5, maximum 26.
    @Test func simpleModeStripeStatistics() {
        let angles = 40, columns = 362, rows = 400
        var touched = 0
        var widths = [Int](repeating: 0, count: 8)
        for k in 0..<rows {
            var sinogram = [Float](repeating: 0.5, count: angles * columns)
            var random = RandomStream(seed: 5, item: 0, stream: UInt32(k))
            var span = sinogram.mutableSpan
            let report = StripeArtifacts.apply(.simpleMode, to: &span, angles: angles, columns: columns,
                                               maxIntensity: 1, random: &random)
            #expect(report.placed <= 4)
            touched += report.columns
            // Every changed column changed by the same amount at every angle (full stripes, no variability).
            var runStart: Int? = nil
            for j in 0...columns {
                let changed = j < columns && sinogram[j] != 0.5
                if changed {
                    for a in 1..<angles { #expect(sinogram[a * columns + j] == sinogram[j]) }
                    if runStart == nil { runStart = j }
                } else if let s = runStart {
                    if j - s < widths.count { widths[j - s] += 1 }
                    runStart = nil
                }
            }
        }
        let mean = Double(touched) / Double(rows)
        #expect(mean > 13.5 && mean < 16.0, "mean touched columns \(mean)")
        // Isolated stripes have odd widths 1, 3, 5, 7 with similar frequencies.
        for w in [1, 3, 5, 7] { #expect(widths[w] > rows / 8, "width \(w): \(widths[w])") }
        #expect(StripeSettings.simpleMode.count(columns: 362) == 4)
    }

    /// Partial stripes cover a contiguous angle range; variability makes the offset walk along angles.
    @Test func partialStripesWithVariability() {
        let settings = StripeSettings(percentage: 1, maxThickness: 0, intensity: 0.2, kind: .partial, variability: 0.005)
        var sinogram = [Float](repeating: 1, count: 100 * 300)
        var random = RandomStream(seed: 1, item: 0, stream: 0)
        var span = sinogram.mutableSpan
        StripeArtifacts.apply(settings, to: &span, angles: 100, columns: 300, maxIntensity: 1, random: &random)
        let changedColumns = (0..<300).filter { j in (0..<100).contains { sinogram[$0 * 300 + j] != 1 } }
        #expect(!changedColumns.isEmpty)
        for j in changedColumns {
            let changed = (0..<100).filter { sinogram[$0 * 300 + j] != 1 }
            #expect(changed.last! - changed.first! + 1 <= 100)
            let steps = zip(changed, changed.dropFirst()).map { abs(sinogram[$1 * 300 + j] - sinogram[$0 * 300 + j]) }
            #expect(steps.allSatisfy { abs($0 - 0.005) < 1e-4 || $0 < 1e-6 })
        }
    }

    /// FBP of a clean sinogram puts each sphere where it is, with its density: the reconstruction at the centre of
    /// a sphere's cross-section in the slice is C0 (within 10 %: the ramp filter's resolution on a 64³ grid), and
    /// 0 away from every sphere.
    @Test func backProjectionFindsSpheres() {
        let g = TomoGeometry(size: 64)
        let spheres = [Sphere(density: 0.8, x: 0.3, y: -0.2, z: 0.0, radius: 0.25),
                       Sphere(density: 0.4, x: -0.4, y: 0.35, z: 0.05, radius: 0.2)]
        var p = [Float](repeating: 0, count: g.volumeCount)
        var span = p.mutableSpan
        SphereProjector.project(spheres, geometry: g, into: &span)
        let row = 32
        let image = p[row * g.sinogramCount..<(row + 1) * g.sinogramCount].withUnsafeBufferPointer {
            FilteredBackProjection(geometry: g).reconstruct($0.span)
        }
        func at(_ x: Double, _ y: Double) -> Double {
            let i = Int(((x + 1) * 32).rounded()), j = Int(((y + 1) * 32).rounded())
            return Double(image[i * 64 + j])
        }
        #expect(abs(at(0.3, -0.2) - 0.8) < 0.08)
        #expect(abs(at(-0.4, 0.35) - 0.4) < 0.04)
        #expect(abs(at(-0.5, -0.6)) < 0.03)
        #expect(abs(at(0.6, 0.6)) < 0.03)
        // The brightest pixel lies inside the denser sphere.
        let top = image.indices.max { image[$0] < image[$1] }!
        let x = -1 + Double(top / 64) / 32, y = -1 + Double(top % 64) / 32
        #expect((x - 0.3) * (x - 0.3) + (y + 0.2) * (y + 0.2) < 0.25 * 0.25)
    }

    /// Complex mode: each shift equals clean except at its (rolled) defect pixels, whose rows move by the shift
    /// step; the result is reproducible.
    @Test func complexModeShiftsDifferOnlyAtDefects() {
        let g = TomoGeometry(size: 32)
        var random = RandomStream(seed: 2, item: 0, stream: 9)
        let spheres = SpherePhantom.sample(count: 30, ranges: PhantomRanges(), random: &random)
        var p = [Float](repeating: 0, count: g.volumeCount)
        var span = p.mutableSpan
        SphereProjector.project(spheres, geometry: g, into: &span)
        var settings = FlatFieldSettings()
        settings.defectDensity = 0.2  // enough defects on a small detector
        let simulation = FlatFieldSimulation(geometry: g, settings: settings, shifts: 3, shiftStep: 2)
        let result = simulation.run(projection: p, seed: 7, sample: 3)
        #expect(simulation.offsets == [-2, 0, 2])
        #expect(abs(Double(result.clean.max()!) - Double(p.max()!)) < 1e-4 && result.clean.min()! == 0)
        var rowSets: [Set<Int>] = []
        for k in 0..<3 {
            var rows = Set<Int>()
            for i in 0..<g.volumeCount where result.shifts[k * g.volumeCount + i] != result.clean[i] {
                rows.insert(i / g.sinogramCount)
            }
            #expect(!rows.isEmpty)
            rowSets.append(rows)
        }
        #expect(Set(rowSets[0].map { ($0 + 2) % 32 }) == rowSets[1])
        #expect(Set(rowSets[1].map { ($0 + 2) % 32 }) == rowSets[2])
        let again = simulation.run(projection: p, seed: 7, sample: 3)
        #expect(again.clean == result.clean && again.shifts == result.shifts)
    }

    /// The speckle generator drops round(kbar·V·H) photons; y₁ matches its closed form.
    @Test func flatFieldPieces() {
        var random = RandomStream(seed: 1, item: 0, stream: 0)
        let fft = ComplexFFT2D(rows: 40, columns: 56)
        let speckle = DetectorModel.speckle(fft: fft, size: 3, density: 2, random: &random)
        #expect(speckle.reduce(0, +) == 4480)
        #expect(abs(sphericalBesselY1(1) - (-1.3817732906760363)) < 1e-12)
        let model = DetectorModel(rows: 40, columns: 56, settings: FlatFieldSettings(), seed: 1, sample: 0)
        #expect(model.beam.max() == 1 && model.beam.min()! > 0)
        #expect(model.defects.map { $0.max()! }.max() == 1)
    }
}
