import Foundation
import Formats
import Synchronization

/// SAXSDog's request handling, independent of the transport: a request's frames in, the reply out. Checks in
/// SAXSDog's order (JSON, schema, then `sign` and `time` present, the time window, the signature) and then refuses
/// a replayed (time, sign) pair, before the command reaches the backend: nothing reads a file for a request that
/// is not authenticated.
public final class SAXSDogService: Sendable {
    private let secret: String
    private let backend: any ServeBackend
    private let clock: @Sendable () -> Double
    private let replays = Mutex(ReplayGuard())

    /// - Parameters:
    ///   - secret: the `Secret` of the server's entry in the network file.
    ///   - clock: Unix seconds (a test passes its own).
    public init(secret: String, backend: any ServeBackend,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.secret = secret
        self.backend = backend
        self.clock = clock
    }

    /// The reply to a request's frames, as the object SAXSDog would send.
    public func reply(to frames: [[UInt8]]) -> JSONValue {
        switch authenticate(frames) {
        case .failure(let refusal): return refusal.reply
        case .success(let request):
            do { return backend.perform(try ServerCommand(request)) } catch { return error.reply }
        }
    }

    /// The request of `frames` once it is well formed, signed with the secret, timely and new; or the reply that
    /// refuses it.
    public func authenticate(_ frames: [[UInt8]]) -> Result<SAXSDogRequest, Refusal> {
        let request: SAXSDogRequest
        switch SAXSDogRequest.parse(frames) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let parsed): request = parsed
        }
        guard case .string(let sign)? = request.document["sign"] else {
            return .failure(Refusal(SAXSDogReply.serverError("'sign'")))
        }
        guard let time = request.document["time"]?.double else {
            return .failure(Refusal(SAXSDogReply.serverError("'time'")))
        }
        let now = clock()
        guard ReplayGuard.isTimely(time, now: now) else {
            return .failure(Refusal(SAXSDogReply.unauthenticated("Untimely request.")))
        }
        guard SAXSDogSignature.matches(sign, SAXSDogSignature.sign(request.document, secret: secret)) else {
            return .failure(Refusal(SAXSDogReply.unauthenticated("Wrong signature.")))
        }
        guard replays.withLock({ $0.admit(time: time, sign: sign, now: now) }) else {
            return .failure(Refusal(SAXSDogReply.unauthenticated("Replayed request.")))
        }
        return .success(request)
    }
}
