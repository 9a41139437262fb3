import Foundation
import Formats
import Serve

/// SAXSDog's `plot` reply from the last frame's `.chi` file: its curve as `[[q…], [I…], [err…]]` (the numbers
/// the file holds), labels, integral parameters, the counters and the history of the last 100 s.
enum ServePlot {
    static func reply(_ state: ServeState) -> JSONValue {
        let snapshot = state.inner.withLock { inner -> (ServeState.Queue?, JSONValue) in
            (inner.queue, ServeState.stat(inner.queue))
        }
        guard let queue = snapshot.0 else { return SAXSDogReply.make("no queue", .object([])) }
        let now = ServeState.now()
        let history = JSONValue.array(queue.history.filter { now - $0 < 100 }.map(SAXSDogReply.float))
        guard let chi = queue.chiFiles.last, let graph = graph(chi, kind: "Radial", mask: 0, calibration: queue.calibration) else {
            return SAXSDogReply.make("Empty", .object([("stat", snapshot.1), ("history", history)]))
        }
        let frame = queue.processed.last ?? chi
        return SAXSDogReply.make("plot", .object([
            ("filename", .string((frame as NSString).lastPathComponent)), ("graphs", .array([graph.graph] + others(of: chi, calibration: queue.calibration))),
            ("stat", snapshot.1), ("history", history),
            ("IntegralParameters", .object([("0", .object([
                ("time", .array([SAXSDogReply.float(queue.history.last ?? now)])),
                ("file", .array([.string(frame)])),
                ("I0", .array([graph.integrals["I0"] ?? .null])), ("I1", .array([graph.integrals["I1"] ?? .null])),
                ("I2", .array([graph.integrals["I2"] ?? .null])),
            ]))])),
        ]))
    }

    /// The graphs of the frame's other integrations: the files SAXSDog names `<frame>_c<R|P|S><n>.chi`, by n.
    static func others(of first: String, calibration: JSONValue) -> [JSONValue] {
        let folder = (first as NSString).deletingLastPathComponent
        let stem = ((first as NSString).lastPathComponent as NSString).deletingPathExtension + "_c"
        let kinds: [Character: String] = ["R": "Radial", "P": "Phi", "S": "Slice"]
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).compactMap { name -> (Int, String, String)? in
            guard name.hasPrefix(stem), name.hasSuffix(".chi") else { return nil }
            let tag = name.dropFirst(stem.count).dropLast(4)
            guard let letter = tag.first, let kind = kinds[letter], let n = Int(tag.dropFirst()) else { return nil }
            return (n, kind, folder + "/" + name)
        }
        return found.sorted { $0.0 < $1.0 }.compactMap { graph($0.2, kind: $0.1, mask: $0.0, calibration: calibration)?.graph }
    }

    /// One graph of SAXSDog's plot from a `.chi` file of SAXSDog's integration number `mask` (Masks, then Slices).
    static func graph(_ path: String, kind: String, mask: Int,
                      calibration: JSONValue) -> (graph: JSONValue, integrals: JSONValue)? {
        guard let data = FileManager.default.contents(atPath: path), let curve = try? ChiCurve(data: data, file: path) else {
            return nil
        }
        let lines = String(decoding: data.prefix(1 << 20), as: UTF8.self).split(separator: "\n", maxSplits: 4,
                                                                                 omittingEmptySubsequences: false)
        // Radial and phi files: calibration, integral parameters, labels; GISAXS cuts: calibration, labels.
        let second = lines.count > 1 ? (try? JSONValue(parsing: String(lines[1]))) : nil
        let isCut = second?.typeName == "array"
        let integrals = isCut ? JSONValue.object([]) : second ?? .object([])
        let labels = isCut ? second ?? .array([]) : lines.count > 2 ? (try? JSONValue(parsing: String(lines[2]))) ?? .array([]) : .array([])
        let masks: [JSONValue] = if case .array(let list)? = calibration["Masks"] { list } else { [] }
        let slices: [JSONValue] = if case .array(let list)? = calibration["Slices"] { list } else { [] }
        let conf: JSONValue = mask < masks.count ? masks[mask]
            : mask - masks.count < slices.count ? slices[mask - masks.count] : .null
        let columns = [curve.x, curve.intensity, curve.error ?? []].map { JSONValue.array($0.map(SAXSDogReply.float)) }
        let graph = JSONValue.object([
            ("array", .array(columns)), ("columnLabels", labels), ("kind", .string(kind)),
            ("conf", calibration), ("mask", conf), ("Integparam", integrals),
        ])
        return (graph, integrals)
    }
}
