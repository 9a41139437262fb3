import Foundation
import Integration
import Testing

/// `beamforge convert`'s parts: Fit2D printouts read by label, and the Fit2D ↔ PONI formulas against pyFAI.
@Suite struct CalibrationConversionTests {
    @Test func refinedPrintoutGivesTheGeometryOfCalJSON() throws {
        let text = try String(contentsOfFile: SAXSDogData.directory + "/fit2d-calibration.txt", encoding: .utf8)
        let fit = Fit2DRefinement(text: text)
        #expect(fit.centerX == 387.772 && fit.centerY == 808.37)  // the (mm) line is not the centre
        #expect(fit.distanceMM == 1031.657 && fit.wavelength == 1.54)
        #expect(fit.tiltDeg == -0.56 && fit.tiltRotationDeg == 73.569)
    }

    @Test func bestFitLinesAndNothing() {
        let fit = Fit2DRefinement(text: """
            INFO: Best fit beam centre (X/Y pixels) = 388.2765 807.8745
            INFO: Best fit angle of tilt plane rotation (degrees) = 73.59509
            INFO: Best fit angle of tilt (degrees) = -10.00601
            """)
        #expect(fit.centerX == 388.2765 && fit.centerY == 807.8745)
        #expect(fit.tiltDeg == -10.00601 && fit.tiltRotationDeg == 73.59509 && fit.distanceMM == nil)
        #expect(Fit2DRefinement(text: "INFO: Refined Beam centre = 66.697 139.040 (mm)\nSum of squares = 1").isEmpty)
    }

    /// cal.json's PONI for the image as stored: pyFAI 2026.9 `setFit2D` of its geometry on the flipped image,
    /// mirrored (poni1 → 1043 · 172 µm − poni1, rot2 and rot3 change sign).
    @Test func calJSONGeometryAsPONIMatchesPyFAI() {
        let g = Fit2DGeometry(rows: 1043, columns: 981, beamCenterY: 808.37, beamCenterX: 387.772,
                              distanceMM: 1031.657, pixelMM: 0.172, tiltDeg: -0.56, tiltRotationDeg: 73.569)
        let p = PONIGeometry(fit2d: g)
        let pyFAI = [1.031607724315537, 1043 * 172e-6 - 0.14871095111006244, 0.0695488925062063, 0.002764714893233119,
                     0.009374678571847959, 1.2959259897860065e-05]
        for (mine, theirs) in zip([p.distance, p.poni1, p.poni2, p.rot1, p.rot2, p.rot3], pyFAI) {
            #expect(abs(mine - theirs) < 1e-12, "\(mine) vs \(theirs)")
        }
        // Back: the same geometry as (−τ, ρ + 180°) ≡ (τ, ρ).
        let back = Fit2DGeometry(poni: p)
        #expect(abs(back.beamCenterY - 808.37) < 1e-9 && abs(back.beamCenterX - 387.772) < 1e-9)
        #expect(abs(back.distanceMM - 1031.657) < 1e-9 && abs(back.tiltDeg - 0.56) < 1e-9)
        #expect(abs(back.tiltRotationDeg - (73.569 - 180)) < 1e-9)
        #expect(abs(p.fit2dRot3 - p.rot3) < 1e-15)
    }
}
