import CZMQ

/// A libzmq context: owns the I/O thread that every socket made from it uses. Close every socket, then the
/// context (``close()`` waits for the sockets' lingering messages, bounded by their LINGER).
public final class ZMQContext {
    let handle: UnsafeMutableRawPointer
    private var closed = false

    /// - Throws: ``ZMQError`` when libzmq cannot start (out of file descriptors).
    public init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    /// Ends the context; every socket must be closed first.
    public func close() {
        guard !closed else { return }
        closed = true
        while zmq_ctx_term(handle) != 0 && zmq_errno() == bf_zmq_eintr() {}
    }

    deinit { assert(closed, "ZMQContext.close() was not called") }
}

// libzmq contexts are thread-safe: sockets are made from one on any thread.
extension ZMQContext: @unchecked Sendable {}
