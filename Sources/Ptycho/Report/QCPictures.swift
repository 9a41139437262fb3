import Core
import Formats
import Foundation
import Plot

/// The pictures of a finished `ptycho-qc` run, made on one process from its `meta.csv` and the input: the STXM,
/// DPC-X, DPC-Y and score maps over the stage (``ScanMap``) as `qc_maps.png` and as arrays in `qc_maps.npz`, and
/// thumbnails of the `k` highest-scoring patterns (`thumbs/pos_<index>.png`) with an `index.html` gallery.
public enum QCPictures {
    /// The maps drawn: column of the QC table, title, colour map.
    static let maps: [(column: String, title: String, colorMap: ColorMap)] = [
        ("log_total", "STXM: log10(1 + total)", .viridis), ("com_x_mrad", "DPC-X (mrad)", .cividis),
        ("com_y_mrad", "DPC-Y (mrad)", .cividis), ("score", "outlier score", .magma),
    ]

    /// Writes the pictures into `directory`.
    /// - Throws: ``FormatError`` or ``PlotError`` naming the file that cannot be read or written.
    public static func write(directory: String, settings: PtychoQCSettings, thumbnails k: Int) throws {
        let table = try QCLists.table(directory + "/meta.csv")
        func column(_ name: String) -> [Double] { table.column(name).map { Double($0) ?? .nan } }
        let x = column("x_m"), y = column("y_m")
        var panels: [Axes] = []
        for (name, title, colorMap) in maps {
            let map = ScanMap(x: x, y: y, values: column(name))
            let micro = { (r: ClosedRange<Double>) in r.lowerBound * 1e6...r.upperBound * 1e6 }
            // A raster's first row is drawn at the top: rows from the highest y down, so that y points up.
            let flipped = { (v: [Float]) -> [Float] in (0..<map.height).reversed().flatMap { v[$0 * map.width..<($0 + 1) * map.width] } }
            let mask = (0..<map.height).reversed().flatMap { map.mask[$0 * map.width..<($0 + 1) * map.width] }
            let raster = Raster(width: map.width, height: map.height, values: flipped(map.values), colorMap: colorMap,
                                range: name == "score" ? 0...1 : nil, mask: mask, x: micro(map.x), y: micro(map.y),
                                colorBarLabel: "")
            panels.append(Axes(title: title, x: Axis("x (µm)"), y: Axis("y (µm)"),
                               series: [.raster(raster)], legend: .none, equalAspect: true))
            try array(map.values, key: name, descr: "<f4", shape: [map.height, map.width], to: directory + "/qc_maps.npz")
            if name == "log_total" {
                try array([map.x.lowerBound, map.x.upperBound, map.y.lowerBound, map.y.upperBound], key: "extent_m",
                          descr: "<f8", shape: [4], to: directory + "/qc_maps.npz")
            }
        }
        try Figure(panels, columns: 2, width: 720, height: 620, title: "ptycho-qc: \(x.count) positions")
            .writePNG(to: directory + "/qc_maps.png")
        try thumbnails(directory: directory, settings: settings, table: table, k: k)
    }

    /// The `k` highest-scoring patterns (ties to the lower index) as log-scaled thumbnails and their gallery.
    static func thumbnails(directory: String, settings: PtychoQCSettings, table: QCLists.Table, k: Int) throws {
        guard k > 0 else { return }
        let scores = table.column("score").map { Double($0) ?? 0 }, reasons = table.column("reason")
        let worst = RejectionRule.ranked(scores, Array(scores.indices)).prefix(max(0, k))
        let frames = try FrameInputs([settings.input], dataPath: settings.dataPath)
        let (rows, columns) = try frames.firstFrameSize()
        try FileManager.default.createDirectory(atPath: directory + "/thumbs", withIntermediateDirectories: true)
        var html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ptycho-qc: worst \(worst.count)</title>"
            + "<style>body{font-family:sans-serif} figure{display:inline-block;margin:6px;width:250px} "
            + "figcaption{font-size:12px}</style></head><body>\n<h1>ptycho-qc: the \(worst.count) highest scores</h1>\n"
            + "<p><img src=\"qc_maps.png\" width=\"720\"></p>\n"
        for p in worst {
            let pattern = try ScanInputs.readFrame(frames, p, rows: rows, columns: columns)
            let name = String(format: "thumbs/pos_%06d.png", p)
            // Detector convention: row 0 at the top.
            try Figure(Axes(title: "position \(p)", y: Axis(inverted: true), series: [.raster(Raster(
                width: columns, height: rows, values: pattern, scale: .log, colorBarLabel: nil))], legend: .none,
                            equalAspect: true), width: 240, height: 240).writePNG(to: directory + "/" + name, pixelsPerPoint: 1)
            let reason = reasons[p].isEmpty ? "accepted" : reasons[p]
            html += "<figure><img src=\"\(name)\" width=\"240\"><figcaption>position \(p): score "
                + String(format: "%.3f", scores[p]) + ", \(escaped(reason))</figcaption></figure>\n"
        }
        html += "</body></html>\n"
        try html.write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
    }

    /// Adds `values` to the archive at `path` as array `key`.
    static func array<T: BitwiseCopyable>(_ values: [T], key: String, descr: String, shape: [Int], to path: String) throws {
        try NPZ.write(key: key, header: NPYHeader(descr: descr, shape: shape), elementSize: MemoryLayout<T>.stride,
                      to: path) { offset, bytes in
            values.withUnsafeBytes { raw in
                bytes.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + $0.count])) }
            }
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
