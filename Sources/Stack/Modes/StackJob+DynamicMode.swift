import Batch
import Foundation

/// Dynamic mode: each row's frames, every other block of `frame_angles` angles of one scan, as sinograms; the items
/// of a row are its frames.
extension StackJob {
    var dynamicOutputs: [OutputSpec] { [sinogramOutput] }

    /// Dynamic mode's item: frame `item % frames` of the row, angles 2·frame·frame_angles onwards.
    func dynamicItem(row: Int, context: ItemContext, rows: inout SegmentRows) -> StackItem {
        let frame = context.item % frames
        let first = 2 * frame * settings.frameAngles
        let sinogram = rows.sinogram(row, angles: first..<first + settings.frameAngles)
        return StackItem(values: ["sinogram": .float32(sinogram)], frame: String(frame), range: Self.range(sinogram))
    }

    /// `ssss_frameFF_rrrr.tif`.
    func dynamicTIFFs(_ finished: FinishedItem) -> [ItemFile] {
        let frame = finished.item % frames
        let path = String(format: "%@_frame%02d_%04d.tif", finished.sample, frame, finished.row)
        return [finished.tiff(path, "sinogram")]
    }
}
