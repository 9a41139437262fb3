import Foundation
import Plot

/// The synchronisation check: for each image, the time of the log entry it was joined to against its own
/// mid-exposure time, and the residual (image time − entry time, s), which a good synchronisation keeps between
/// 0 and the log's sampling interval.
public enum SyncFigure {
    public static func figure(_ merge: LogMerge, table: LogTable) -> Figure {
        let origin = merge.images.first?.time ?? 0
        let imageTimes = merge.images.map { $0.time - origin }
        let matched = merge.matchedTimes(table).map { $0 - origin }
        var times = Axes(title: "Images and \(table.name) entries", x: Axis("image mid-exposure time − first (s)"),
                         y: Axis("joined \(table.name) entry time (s)"), legend: .topLeft)
        times.add(.line(Line(x: imageTimes, y: imageTimes, label: "same time", color: .grid, width: 1, dashed: true)))
        times.add(.scatter(Scatter(x: imageTimes, y: matched, label: "images", color: .series(0), radius: 2.5)))
        var residuals = Axes(x: Axis("image mid-exposure time − first (s)"), y: Axis("image − entry time (s)"), legend: .none)
        residuals.add(.scatter(Scatter(x: imageTimes, y: zip(imageTimes, matched).map { $0 - $1 }, color: .series(3), radius: 2.5)))
        return Figure([times, residuals], columns: 1, width: 480, height: 520,
                      title: String(format: "Synchronisation: logs shifted by %.3f s", merge.delta))
    }
}
