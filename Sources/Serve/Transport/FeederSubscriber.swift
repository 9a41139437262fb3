import Foundation
import Formats
import Synchronization
import ZMQ

/// The server's side of SAXSDog's feeder: a SUB socket connected to the feeder's PUB, on a thread of its own.
/// Each event `{"command": "new file", "argument": path}` hands `path` to `onFile`; anything else is dropped with
/// one log line. Events are small: one larger than 1 MiB drops the connection.
public final class FeederSubscriber: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Connects to `url` and starts listening.
    /// - Throws: ``ZMQError`` for a malformed URL.
    public init(context: ZMQContext, url: String, onFile: @escaping @Sendable (String) -> Void,
                log: @escaping @Sendable (String) -> Void) throws(ZMQError) {
        let socket = try ZMQSocket(context, kind: .subscribe)
        do {
            try socket.setMaximumMessageSize(bytes: 1 << 20)
            try socket.setLinger(milliseconds: 0)
            try socket.subscribe()
            try socket.connect(url)
        } catch {
            socket.close()
            throw error
        }
        let thread = Thread { [self] in
            listen(socket, url: url, onFile: onFile, log: log)
            socket.close()
            finished.signal()
        }
        thread.name = "beamforge-feeder"
        thread.start()
    }

    private func listen(_ socket: ZMQSocket, url: String, onFile: @Sendable (String) -> Void,
                        log: @Sendable (String) -> Void) {
        while !stopping.load(ordering: .relaxed) {
            do {
                guard try socket.waitForMessage(milliseconds: 200) else { continue }
                let frames = try socket.receive()
                if let path = Self.path(of: frames) { onFile(path) } else { log("feeder \(url): dropped an event that is not {\"command\": \"new file\", \"argument\": path}") }
            } catch where error.isInterrupted {
                continue
            } catch {
                log("feeder \(url): \(error)")
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }

    /// The path of a "new file" event, or nil.
    public static func path(of frames: [[UInt8]]) -> String? {
        guard let first = frames.first, let text = String(validating: first, as: UTF8.self),
              let event = try? JSONValue(parsing: text, file: "event"),
              case .string("new file")? = event["command"], case .string(let path)? = event["argument"],
              !path.isEmpty else { return nil }
        return path
    }

    /// The event SAXSDog's feeder publishes for `path`.
    public static func event(_ path: String) -> [UInt8] {
        Array(JSONValue.object([("command", .string("new file")), ("argument", .string(path))]).pythonDumps.utf8)
    }

    /// Stops listening and waits for the thread to close the socket.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }
}
