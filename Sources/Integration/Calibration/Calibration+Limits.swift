import Core

extension Calibration {
    /// The largest detector side in pixels: the largest detectors have about 4000; 20 000 keeps one frame and its
    /// matrices within a node's memory.
    public static let maxImageSide = 20_000

    /// The physical bounds of a SAXSDog geometry (docs/integrate.md lists them), checked before anything is built
    /// from it: a detector side of 1e6 pixels would allocate a terabyte, a pixel of 1e-300 µm overflows the bins.
    static func checkLimits(_ fields: Fields, distanceKey: String, distance: Double, pixel: [Double], size: [Int],
                            wavelength: Double, center: [Double], tilt: [Double]) throws(CalibrationError) {
        try fields.bound(distance, distanceKey, 0, 1e6, unit: "mm", why: "the longest SAXS cameras are about 30 m")
        for value in pixel {
            try fields.bound(value, "Geometry.PixelSizeMicroM", 1, 1e4, unit: "µm",
                             why: "detector pixels measure 50 to 1000 µm")
        }
        for side in size where !(1...maxImageSide).contains(side) {
            throw fields.error("Geometry.Imagesize", "\(side) pixels is out of range: each side must be from 1 to "
                               + "\(maxImageSide) (the largest detectors have about 4000)")
        }
        try fields.bound(wavelength, "Wavelength", 0, 100, unit: "Å", why: "X-rays")
        for value in center {
            try fields.bound(value, "Geometry.BeamCenter", -1e6, 1e6, lowerOpen: false, unit: "pixels")
        }
        try fields.bound(tilt[0], "Geometry.Tilt.TiltAngleDeg", -90, 90, lowerOpen: true, unit: "°")
        try fields.bound(tilt[1], "Geometry.Tilt.TiltRotDeg", -3600, 3600, lowerOpen: false, unit: "°")
    }
}
