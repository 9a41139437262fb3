import Foundation
import Formats
import ZMQ

/// SAXSDog's leash side of a command: a new REQ socket per command (LINGER 1 ms), the request signed with the
/// secret, a bounded wait for the reply.
public enum LeashClient {
    /// The reply SAXSDog's leash gives itself when the server does not answer in time.
    public static let timeoutReply = SAXSDogReply.error("Error", "Timeout")

    /// The signed request for `command` with `argument`, at Unix time `time`.
    public static func request(_ command: String, argument: JSONValue, secret: String, time: Double) -> JSONValue {
        var request = JSONValue.object([("command", .string(command)), ("argument", argument),
                                        ("time", SAXSDogReply.float(time)), ("sign", .string(""))])
        let sign = SAXSDogSignature.sign(request, secret: secret)
        if case .object(var members) = request {
            members[3] = (key: "sign", value: .string(sign))
            request = .object(members)
        }
        return request
    }

    /// Sends `request` (and attachment frames) to `endpoint` and returns the reply's text, or
    /// ``timeoutReply``'s after `timeout` seconds.
    /// - Throws: ``ZMQError`` for a malformed endpoint.
    public static func send(_ request: JSONValue, attachments: [[UInt8]] = [], to endpoint: String,
                            timeout: Double) throws(ZMQError) -> String {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context, kind: .request)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 1)
        try socket.setMaximumMessageSize(bytes: ZMQCommandEndpoint.maximumMessageBytes)
        try socket.connect(endpoint)
        try socket.send([Array(request.pythonDumps.utf8)] + attachments)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try socket.waitForMessage(milliseconds: Int(max(1, min(200, deadline.timeIntervalSinceNow * 1000)))) {
                let frames = try socket.receive()
                return String(decoding: frames.first ?? [], as: UTF8.self)
            }
        }
        return timeoutReply.pythonDumps
    }
}
