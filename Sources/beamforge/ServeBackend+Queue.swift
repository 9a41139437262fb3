import Foundation
import Formats
import Integration
import Serve

/// What `beamforge serve` does with SAXSDog's commands (on the endpoint's thread, rank 0). Commands that only read
/// the state answer at once; `new` checks the calibration and its masks here and waits while the main loop builds
/// the matrices on every rank.
struct QueueBackend: ServeBackend {
    let state: ServeState

    func perform(_ command: ServerCommand) -> JSONValue {
        switch command {
        case .new(let calibration, let attachments): return open(calibration, attachments: attachments)
        case .stat: return SAXSDogReply.make("stat", .object([("stat", state.stat())]))
        case .close, .abort:
            let aborted = if case .abort = command { true } else { false }
            state.inner.withLock { inner in
                inner.queue?.closed = true
                if aborted { inner.queue?.pending = [] }
            }
            return SAXSDogReply.make(aborted ? "queue aborted" : "queue closed", .object([("stat", state.stat())]))
        case .readdir:
            guard let directory = state.inner.withLock({ $0.queue?.directory }) else {
                return SAXSDogReply.error("ValueError", "Start Queue first")
            }
            for path in ServeFrames.walk(directory) { state.offer(path, accepts: accepts) }
            return SAXSDogReply.make("queue restarted with all files", .object([("stat", state.stat())]))
        case .get:
            return state.inner.withLock { inner in
                guard let queue = inner.queue else { return SAXSDogReply.make("no queue", .object([])) }
                return SAXSDogReply.make("cal", .object([("cal", queue.calibration),
                                                          ("attachments", .array(queue.attachments))]))
            }
        case .plot: return ServePlot.reply(state)
        case .fileslist:
            let files = state.inner.withLock { inner in
                (inner.queue?.chiFiles ?? [], inner.queue.map { [$0.output + "/integrated.h5"] } ?? [])
            }
            return SAXSDogReply.make("resultfileslists", .object([("fileslist", .object([
                ("chi", .array(files.0.map { .string($0) })), ("integrated", .array(files.1.map { .string($0) })),
            ]))]))
        case .listdir(let components): return ConfinedDirectory.listing(base: state.base, components: components)
        case .unsupported: return SAXSDogReply.notImplemented
        }
    }

    func accepts(_ name: String) -> Bool { ServeFrames.accepts(name, pattern: state.pattern) }

    /// SAXSDog's `new`: the queue's folder from `Directory` (inside BASEDIR), one mask attachment per `Masks[i]`
    /// saved beside the calibration under its file's base name, the calibration checked with `integrate`'s loader;
    /// then the main loop replaces the queue.
    private func open(_ calibration: JSONValue, attachments: [Attachment]) -> JSONValue {
        func failure(_ message: String) -> JSONValue { SAXSDogReply.error("Error", message) }
        var components = ["."]
        if let directory = calibration["Directory"] {
            guard case .array(let parts) = directory else { return failure("Directory: must be a list of path components") }
            components = parts.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        guard let folder = ConfinedDirectory.resolve(base: state.base, components: components) else {
            return failure("Directory \(JSONValue.array(components.map { .string($0) }).pythonDumps) leaves the server's base directory")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return failure("Directory \(components.joined(separator: "/")) is not a folder in the server's base directory")
        }
        guard case .object(var members) = calibration, case .array(var masks)? = calibration["Masks"] else {
            return failure("Masks: a list is required")
        }
        guard attachments.count >= masks.count else {
            return failure("Masks[\(attachments.count)] has no mask attachment (one per mask, in order)")
        }
        // Each mask is saved under its MaskFile's base name beside the calibration, which names it so.
        var names: [String: Int] = [:]
        for (i, mask) in masks.enumerated() {
            guard case .string(let file)? = mask["MaskFile"], case .object(var fields) = mask else {
                return failure("Masks[\(i)].MaskFile: a file name is required")
            }
            let name = (file as NSString).lastPathComponent
            guard !name.isEmpty, name != ".", name != ".." else { return failure("Masks[\(i)].MaskFile: a file name is required") }
            if let other = names[name], attachments[other].bytes != attachments[i].bytes {
                return failure("Masks[\(other)] and Masks[\(i)] name different masks \(name)")
            }
            names[name] = i
            fields = fields.map { $0.key == "MaskFile" ? ($0.key, JSONValue.string(name)) : $0 }
            masks[i] = .object(fields)
        }
        members = members.map { $0.key == "Masks" ? ($0.key, JSONValue.array(masks)) : $0 }
        // A queue folder of an earlier server in the same OUT is never reused.
        let index = state.inner.withLock { inner in
            while FileManager.default.fileExists(atPath: state.out + "/queue-\(inner.nextIndex)") { inner.nextIndex += 1 }
            defer { inner.nextIndex += 1 }
            return inner.nextIndex
        }
        let output = state.out + "/queue-\(index)"
        let calibrationPath = output + "/cal.json"
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
            for (name, i) in names { try Data(attachments[i].bytes).write(to: URL(fileURLWithPath: output + "/" + name)) }
            try Data(JSONValue.object(members).pythonDumps(indent: 4).utf8).write(to: URL(fileURLWithPath: calibrationPath))
            let loaded = try Calibration.load(calibrationPath)
            let none = try FrameInputs(files: [], folder: folder, dataPath: nil)
            _ = try IntegrateJob(calibration: loaded, inputs: none, options: ServeLoop.options, matrices: nil)
        } catch {
            try? FileManager.default.removeItem(atPath: output)
            return failure("\(error)")
        }
        let queue = ServeState.Queue(index: index, directory: folder, output: output, calibration: calibration,
                                     attachments: attachments.map(\.json), startTime: ServeState.now())
        let opening = ServeState.Opening(queue, calibrationPath: calibrationPath)
        let posted = state.inner.withLock { inner in
            if !inner.stopping { inner.opening = opening }
            return !inner.stopping
        }
        guard posted else { return failure("the server is stopping") }
        state.wake.signal()
        opening.done.wait()
        if let message = opening.failure.withLock({ $0 }) { return failure(message) }
        return SAXSDogReply.make("new queue", .object([("cal", calibration)]))
    }
}
