import CZMQ

/// A libzmq socket of one of the kinds SAXSDog uses. A socket is used by one thread at a time (libzmq's rule):
/// make it, hand it to the thread that serves it, close it there.
public final class ZMQSocket {
    /// The socket patterns beamforge speaks.
    public enum Kind: Sendable {
        /// REQ: send a request, then receive its reply (SAXSDog's leash).
        case request
        /// REP: receive a request, then send its reply (SAXSDog's server).
        case reply
        /// PUB: send events to every subscriber (SAXSDog's feeder).
        case publish
        /// SUB: receive the events of publishers (the server's feeder endpoint).
        case subscribe

        var code: Int32 {
            switch self {
            case .request: ZMQ_REQ
            case .reply: ZMQ_REP
            case .publish: ZMQ_PUB
            case .subscribe: ZMQ_SUB
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    private var closed = false

    /// A new socket of `kind` in `context`.
    /// - Throws: ``ZMQError`` naming `zmq_socket`.
    public init(_ context: ZMQContext, kind: Kind) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, kind.code) else { throw ZMQError("zmq_socket") }
        self.handle = handle
    }

    /// Binds to `endpoint` (`tcp://127.0.0.1:0` picks a free port) and returns the endpoint bound, with its port.
    /// - Throws: ``ZMQError`` naming the endpoint (in use, not an address of this host, malformed).
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("zmq_bind", endpoint) }
        return try lastEndpoint()
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects by itself.
    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("zmq_connect", endpoint) }
    }

    /// The endpoint last bound (ZMQ_LAST_ENDPOINT), with the port the system chose.
    public func lastEndpoint() throws(ZMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError("zmq_getsockopt", "ZMQ_LAST_ENDPOINT")
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// How long unsent messages keep the socket alive after ``close()`` (ZMQ_LINGER), in milliseconds.
    public func setLinger(milliseconds: Int32) throws(ZMQError) {
        try set(ZMQ_LINGER, milliseconds, "ZMQ_LINGER")
    }

    /// The largest message a peer may send; a larger one drops that peer's connection (ZMQ_MAXMSGSIZE).
    public func setMaximumMessageSize(bytes: Int64) throws(ZMQError) {
        try set(ZMQ_MAXMSGSIZE, bytes, "ZMQ_MAXMSGSIZE")
    }

    /// A SUB socket's filter: messages starting with `prefix` (all messages for an empty one).
    public func subscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
        let rc = prefix.withUnsafeBytes { zmq_setsockopt(handle, ZMQ_SUBSCRIBE, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError("zmq_setsockopt", "ZMQ_SUBSCRIBE") }
    }

    private func set<T: BitwiseCopyable>(_ option: Int32, _ value: T, _ name: String) throws(ZMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<T>.size) == 0 else {
            throw ZMQError("zmq_setsockopt", name)
        }
    }

    /// Sends a multipart message (each element a frame).
    /// - Throws: ``ZMQError`` naming `zmq_send` (a REQ or REP socket in the wrong state, a closed context).
    public func send(_ frames: [[UInt8]]) throws(ZMQError) {
        for (i, frame) in frames.enumerated() {
            let flags = i + 1 < frames.count ? ZMQ_SNDMORE : 0
            var rc: Int32
            repeat {
                rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while rc < 0 && zmq_errno() == bf_zmq_eintr()
            guard rc >= 0 else { throw ZMQError("zmq_send") }
        }
    }

    /// Receives one multipart message (its frames in order), waiting for it.
    /// - Throws: ``ZMQError`` naming `zmq_msg_recv`; ``ZMQError/isInterrupted`` when a signal came first.
    public func receive() throws(ZMQError) -> [[UInt8]] {
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        defer { message.deallocate() }
        var frames: [[UInt8]] = []
        while true {
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            guard zmq_msg_recv(message, handle, 0) >= 0 else { throw ZMQError("zmq_msg_recv") }
            let size = zmq_msg_size(message)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: size)))
            if zmq_msg_more(message) == 0 { return frames }
        }
    }

    /// Waits up to `milliseconds` for a message to arrive; true when one can be received now. A signal ends the
    /// wait early (false).
    public func waitForMessage(milliseconds: Int) throws(ZMQError) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, milliseconds)
        if rc < 0 {
            if zmq_errno() == bf_zmq_eintr() { return false }
            throw ZMQError("zmq_poll")
        }
        return rc > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
    }

    /// Closes the socket (its unsent messages linger for ZMQ_LINGER).
    public func close() {
        guard !closed else { return }
        closed = true
        zmq_close(handle)
    }

    deinit { assert(closed, "ZMQSocket.close() was not called") }
}

// One thread at a time uses a socket (libzmq's rule); a socket is made on one thread and handed to the thread
// that serves it, which alone uses and closes it.
extension ZMQSocket: @unchecked Sendable {}
