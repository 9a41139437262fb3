import Foundation
import Integration

/// A calibration file through `Calibration.load`, which tells SAXSDog JSON from pyFAI PONI by content; a PONI
/// file is read once with the image size of a frame and once without.
enum CalibrationFuzzing {
    static func run(_ data: Data) {
        let path = ScratchFile.write(data, name: "calibration")
        _ = try? Calibration.load(path)
        _ = try? Calibration.load(path, oversampling: 2, imageSize: (rows: 195, columns: 487))
    }
}
