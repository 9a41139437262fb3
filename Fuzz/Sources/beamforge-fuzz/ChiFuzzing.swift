import Formats
import Foundation

/// A `.chi` file's bytes through `ChiCurve(data:)` (the reader `beamforge plot` uses): any input is a curve or a
/// `FormatError`, and a parsed curve's columns have equal lengths.
enum ChiFuzzing {
    static func run(_ data: Data) {
        guard let curve = try? ChiCurve(data: data) else { return }
        guard curve.intensity.count == curve.x.count, curve.error.map({ $0.count == curve.x.count }) ?? true,
              !curve.x.isEmpty else {
            fatalError("a parsed .chi curve has columns of different lengths")
        }
    }
}
