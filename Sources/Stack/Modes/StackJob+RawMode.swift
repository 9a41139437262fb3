import Batch
import Foundation

/// Raw mode: each detector row's sinogram as it is (absorption, resized when downsampling), and a TIFF per row
/// scaled by its scan's range.
extension StackJob {
    var rawOutputs: [OutputSpec] { [sinogramOutput] }

    /// Raw mode's item: the row's sinogram.
    func rawItem(row: Int, rows: inout SegmentRows) -> StackItem {
        let sinogram = rows.sinogram(row)
        return StackItem(values: ["sinogram": .float32(sinogram)], range: Self.range(sinogram))
    }

    /// `ssss/shiftGG/ssss_shiftGG_rrrr.tif`.
    func rawTIFFs(_ finished: FinishedItem) -> [ItemFile] {
        let shift = String(format: "shift%02d", finished.group)
        return [finished.tiff("\(finished.sample)/\(shift)/\(finished.name)", "sinogram")]
    }
}
