import Formats
import Foundation

/// An EDF file as `integrate` and `orient` open it (`EDFFrames`): every block's header parsed, then each block (up
/// to four) decoded and its header's date read. Any input is frames or a `FormatError`; a decoded block holds
/// exactly rows × columns values.
enum EDFFuzzing {
    static func run(_ data: Data) {
        let path = ScratchFile.write(data, name: "frame.edf")
        guard let file = try? EDFFrames(path: path) else { return }
        guard file.frameCount > 0 else { fatalError("an EDF file opened with no blocks") }
        for index in 0..<min(file.frameCount, 4) {
            _ = file.header(index)
            let block = file.image.blocks[index]
            guard let pixels = try? file.image.pixels(index) else { continue }
            guard pixels.count == block.rows * block.columns else {
                fatalError("EDF block \(index) decoded to \(pixels.count) values for \(block.rows) x \(block.columns)")
            }
        }
    }
}
