import Core
import Formats

/// Whether a file of frames is complete enough to integrate: it opens as a registered frame format (an HDF5 file
/// still open for writing does not), its frames have the calibration's size, and every frame reads in full (a
/// TIFF whose strips run past the end of the file does not).
public enum FrameReadiness {
    /// Why `path` is not ready, or nil when it is. `size` is the calibration's image size.
    public static func problem(_ path: String, dataPath: String?, size: (rows: Int, columns: Int)) -> String? {
        guard let format = FrameFormat.of(path) else { return "not a frame file" }
        do {
            let file = try format.open(path, dataPath)
            let found = try file.frameSize()
            guard found == size else {
                return "frames are \(found.rows) × \(found.columns) pixels; the calibration's Imagesize is "
                    + "\(size.rows) × \(size.columns)"
            }
            var values = [Float](repeating: 0, count: size.rows * size.columns)
            for index in 0..<file.frameCount {
                try values.withUnsafeMutableBytes { raw in
                    var bytes = raw.mutableBytes
                    _ = try file.read(frames: index..<index + 1, as: .float32, rows: size.rows, columns: size.columns,
                                      into: &bytes)
                }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Whether a wrong frame size is final (the file is complete but of another detector): rejected at once.
    public static func isFinal(_ problem: String) -> Bool { problem.hasPrefix("frames are ") }
}
