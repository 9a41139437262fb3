import CZMQ

/// A failed libzmq call: the function, the endpoint or option it concerned, and libzmq's message.
public struct ZMQError: Error, CustomStringConvertible, Sendable {
    /// The C function that failed (`zmq_bind`, …).
    public let function: String
    /// libzmq's errno value.
    public let code: Int32
    /// What the call concerned (an endpoint, an option) and `zmq_strerror`'s text.
    public let message: String

    init(_ function: String, _ subject: String = "") {
        self.function = function
        code = zmq_errno()
        let reason = String(cString: zmq_strerror(code))
        message = subject.isEmpty ? reason : "\(subject): \(reason)"
    }

    public var description: String { "\(function): \(message)" }

    /// Whether the call was interrupted by a signal (the caller looks at its stop flag and goes on).
    public var isInterrupted: Bool { code == bf_zmq_eintr() }
}
