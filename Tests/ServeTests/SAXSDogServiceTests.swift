import Formats
import Foundation
import Serve
import Synchronization
import Testing

/// The checks every request passes before a command runs: JSON, schema, sign, window, signature, replay. The
/// backend records what reached it, so a refused request is seen not to.
struct SAXSDogServiceTests {
    final class Recorder: ServeBackend {
        let commands = Mutex<[String]>([])
        func perform(_ command: ServerCommand) -> JSONValue {
            commands.withLock { $0.append("\(command)") }
            if case .unsupported = command { return SAXSDogReply.notImplemented }
            return SAXSDogReply.make("stat", .object([("stat", .object([]))]))
        }
    }

    let now = 1_700_000_000.0
    let secret = "s3cr3t"

    func service(_ backend: Recorder) -> SAXSDogService {
        let now = now
        return SAXSDogService(secret: secret, backend: backend, clock: { now })
    }

    func frames(_ command: String = "stat", argument: JSONValue = .object([]), time: Double? = nil,
                secret: String? = nil) -> [[UInt8]] {
        let request = LeashClient.request(command, argument: argument, secret: secret ?? self.secret, time: time ?? now)
        return [Array(request.pythonDumps.utf8)]
    }

    func reply(_ service: SAXSDogService, _ frames: [[UInt8]]) -> String { service.reply(to: frames).pythonDumps }

    @Test func aSignedTimelyRequestReachesTheBackend() {
        let backend = Recorder()
        #expect(reply(service(backend), frames()) == #"{"result": "stat", "data": {"stat": {}}}"#)
        #expect(backend.commands.withLock { $0 } == ["stat"])
    }

    @Test func theWindowAdmits899SecondsAndRefuses901() {
        let backend = Recorder()
        let server = service(backend)
        #expect(reply(server, frames(time: now - 899)).contains(#""result": "stat""#))
        #expect(reply(server, frames(time: now + 899)).contains(#""result": "stat""#))
        #expect(reply(server, frames(time: now - 901))
                == #"{"result": "AuthenticationError", "data": {"Error": "Untimely request."}}"#)
        #expect(reply(server, frames(time: now + 901)).contains("Untimely request."))
        #expect(backend.commands.withLock { $0.count } == 2)
    }

    @Test func aWrongSecretIsRefused() {
        let backend = Recorder()
        #expect(reply(service(backend), frames(secret: "other"))
                == #"{"result": "AuthenticationError", "data": {"Error": "Wrong signature."}}"#)
        #expect(backend.commands.withLock { $0.isEmpty })
    }

    @Test func aReplayedRequestIsRefusedAndAFreshOneAdmitted() {
        let backend = Recorder()
        let server = service(backend)
        let request = frames()
        #expect(reply(server, request).contains(#""result": "stat""#))
        #expect(reply(server, request) == #"{"result": "AuthenticationError", "data": {"Error": "Replayed request."}}"#)
        #expect(reply(server, frames(time: now + 0.001)).contains(#""result": "stat""#))
        #expect(backend.commands.withLock { $0.count } == 2)
    }

    @Test func malformedRequestsGetSAXSDogsErrors() {
        let backend = Recorder()
        let server = service(backend)
        #expect(reply(server, [Array("not json".utf8)]).hasPrefix(#"{"result": "ValueError in request", "data": {"Error": "#))
        #expect(reply(server, [[0xFF, 0xFE]]).hasPrefix(#"{"result": "ValueError in request""#))
        #expect(reply(server, [Array(#"{"command": "stat", "time": 1, "sign": "", "extra": 1}"#.utf8)])
                == #"{"result": "ValidationError in request", "data": "Additional properties are not allowed ('extra' was unexpected)"}"#)
        #expect(reply(server, [Array(#"{"command": "stat", "argument": {"x": 1}, "time": 1, "sign": ""}"#.utf8)])
                == #"{"result": "ValidationError in request", "data": "Additional properties are not allowed ('x' was unexpected)"}"#)
        #expect(reply(server, [Array(#"{"argument": {}}"#.utf8)])
                == #"{"result": "ValidationError in request", "data": "'command' is a required property"}"#)
        #expect(reply(server, [Array(#"{"command": 5}"#.utf8)])
                == #"{"result": "ValidationError in request", "data": "5 is not of type 'string'"}"#)
        #expect(reply(server, [Array(#"{"command": "stat", "argument": {}, "time": 1700000000.0}"#.utf8)])
                == #"{"result": "ServerError", "data": {"Error": "'sign'"}}"#)
        #expect(backend.commands.withLock { $0.isEmpty })
    }

    @Test func unknownCommandsAreNotImplemented() {
        let backend = Recorder()
        #expect(reply(service(backend), frames("rm")) == #"{"result": "ErrorNotimplemented"}"#)
        #expect(backend.commands.withLock { $0 } == ["unsupported(\"rm\")"])
    }

    @Test func attachmentsAreLatin1() throws {
        let bytes: [UInt8] = Array(0...255)
        let attachment = try Attachment(frame: Attachment.frame(filename: "m.msk", bytes: bytes), index: 0)
        #expect(attachment.bytes == bytes)
        #expect(String(decoding: Attachment.frame(filename: "a", bytes: [0xE9, 0x41]), as: UTF8.self)
                == #"{"filename": "a", "data": "\u00e9A"}"#)
        #expect(throws: Refusal.self) { try Attachment(frame: Array(#"{"filename": "a", "data": "\u0100"}"#.utf8), index: 0) }
    }

    @Test func listdirStaysInsideTheBaseDirectory() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID())").path
        try FileManager.default.createDirectory(atPath: base + "/sub/inner", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createSymbolicLink(atPath: base + "/out", withDestinationPath: "/etc")
        #expect(ConfinedDirectory.resolve(base: base, components: [".."]) == nil)
        #expect(ConfinedDirectory.resolve(base: base, components: ["sub", "..", ".."]) == nil)
        #expect(ConfinedDirectory.resolve(base: base, components: ["/etc"]) == nil)
        #expect(ConfinedDirectory.resolve(base: base, components: ["out"]) == nil)
        #expect(ConfinedDirectory.resolve(base: base, components: ["sub"]) != nil)
        let listing = ConfinedDirectory.listing(base: base, components: ["sub"]).pythonDumps
        #expect(listing.contains(#"{"isdir": true, "path": "inner"}"#))
        #expect(ConfinedDirectory.listing(base: base, components: [".."]).pythonDumps.hasPrefix(#"{"result": "OSError""#))
    }
}
