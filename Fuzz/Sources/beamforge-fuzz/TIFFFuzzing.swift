import Formats
import Foundation
import LibTIFF

/// A TIFF file as integrate opens it: pages counted and the first page's size read (`SingleFrameTIFF`), then each
/// page (up to four) decoded as a frame.
enum TIFFFuzzing {
    static func run(_ data: Data) {
        let path = ScratchFile.write(data, name: "frame.tif")
        guard let file = try? SingleFrameTIFF(path: path) else { return }
        _ = try? file.frameSize()
        for page in 0..<min(file.frameCount, 4) {
            _ = try? TIFF.read(path, page: page)
        }
    }
}
