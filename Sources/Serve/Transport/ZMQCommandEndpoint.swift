import Foundation
import Formats
import Synchronization
import ZMQ

/// SAXSDog's command endpoint: a ZeroMQ REP socket served on a thread of its own. Each request's frames go to the
/// ``SAXSDogService`` and its reply goes back; a request larger than the size limit drops the sender's connection
/// (ZMQ_MAXMSGSIZE) before any of it is read. The thread checks its stop flag every 200 ms.
public final class ZMQCommandEndpoint: Sendable {
    /// The largest request accepted, in bytes (256 MiB: a calibration with its mask attachments fits many times).
    public static let maximumMessageBytes: Int64 = 256 << 20

    /// The endpoint bound, with the port the system chose for `:0`.
    public let endpoint: String
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds a REP socket to `bind` and starts serving it with `service`; `log` receives one line per problem.
    /// - Throws: ``ZMQError`` when the endpoint cannot be bound (in use, not this host's address, malformed).
    public init(context: ZMQContext, bind: String, service: SAXSDogService,
                log: @escaping @Sendable (String) -> Void) throws(ZMQError) {
        let socket = try ZMQSocket(context, kind: .reply)
        do {
            try socket.setMaximumMessageSize(bytes: Self.maximumMessageBytes)
            try socket.setLinger(milliseconds: 0)
            endpoint = try socket.bind(bind)
        } catch {
            socket.close()
            throw error
        }
        let thread = Thread { [self] in
            serve(socket, service: service, log: log)
            socket.close()
            finished.signal()
        }
        thread.name = "beamforge-saxsdog"
        thread.start()
    }

    private func serve(_ socket: ZMQSocket, service: SAXSDogService, log: @Sendable (String) -> Void) {
        while !stopping.load(ordering: .relaxed) {
            do {
                guard try socket.waitForMessage(milliseconds: 200) else { continue }
                let frames = try socket.receive()
                try socket.send([SAXSDogReply.bytes(service.reply(to: frames))])
            } catch where error.isInterrupted {
                continue
            } catch {
                log("saxsdog endpoint \(endpoint): \(error)")
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }

    /// Stops serving and waits for the thread to close the socket.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }
}
