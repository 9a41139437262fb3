import ZMQ

/// SAXSDog's feeder: a bound PUB socket that publishes `{"command": "new file", "argument": path}` events.
public final class FeederPublisher {
    private let socket: ZMQSocket
    /// The endpoint bound, with the port the system chose for `:0`.
    public let endpoint: String

    /// Binds a PUB socket to `bind`.
    /// - Throws: ``ZMQError`` when it cannot be bound.
    public init(context: ZMQContext, bind: String) throws(ZMQError) {
        socket = try ZMQSocket(context, kind: .publish)
        do {
            try socket.setLinger(milliseconds: 100)
            endpoint = try socket.bind(bind)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Publishes the event for `path` to every subscriber connected now.
    public func publish(_ path: String) throws(ZMQError) { try socket.send([FeederSubscriber.event(path)]) }

    /// Closes the socket.
    public func close() { socket.close() }
}
