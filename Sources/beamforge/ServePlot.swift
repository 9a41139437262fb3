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
        guard let chi = queue.chiFiles.last, let graph = graph(chi, calibration: queue.calibration) else {
            return SAXSDogReply.make("Empty", .object([("stat", snapshot.1), ("history", history)]))
        }
        let frame = queue.processed.last ?? chi
        return SAXSDogReply.make("plot", .object([
            ("filename", .string((frame as NSString).lastPathComponent)), ("graphs", .array([graph.graph])),
            ("stat", snapshot.1), ("history", history),
            ("IntegralParameters", .object([("0", .object([
                ("time", .array([SAXSDogReply.float(queue.history.last ?? now)])),
                ("file", .array([.string(frame)])),
                ("I0", .array([graph.integrals["I0"] ?? .null])), ("I1", .array([graph.integrals["I1"] ?? .null])),
                ("I2", .array([graph.integrals["I2"] ?? .null])),
            ]))])),
        ]))
    }

    /// One graph of SAXSDog's plot from a radial `.chi` file.
    static func graph(_ path: String, calibration: JSONValue) -> (graph: JSONValue, integrals: JSONValue)? {
        guard let data = FileManager.default.contents(atPath: path), let curve = try? ChiCurve(data: data, file: path) else {
            return nil
        }
        let lines = String(decoding: data.prefix(1 << 20), as: UTF8.self).split(separator: "\n", maxSplits: 4,
                                                                                 omittingEmptySubsequences: false)
        let integrals = lines.count > 1 ? (try? JSONValue(parsing: String(lines[1]))) ?? .object([]) : .object([])
        let labels = lines.count > 2 ? (try? JSONValue(parsing: String(lines[2]))) ?? .array([]) : .array([])
        let columns = [curve.x, curve.intensity, curve.error ?? []].map { JSONValue.array($0.map(SAXSDogReply.float)) }
        let graph = JSONValue.object([
            ("array", .array(columns)), ("columnLabels", labels), ("kind", .string("Radial")),
            ("conf", calibration), ("mask", calibration["Masks"]?[0] ?? .null), ("Integparam", integrals),
        ])
        return (graph, integrals)
    }
}
