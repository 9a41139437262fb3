@testable import Batch
import Foundation
import POSIX
import Testing

/// What keeps `--resume` and concurrent runs safe: the spool check and the output lock, without MPI.
@Suite struct ResumeSafetyTests {
    static func directory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bf-safety-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func spool(_ bytes: [UInt8], in directory: String) -> String {
        let path = directory + "/meta.csv.spool"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func damage(_ bytes: [UInt8], done: [UInt8] = [1, 1, 0]) -> String? {
        let directory = directory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = spool(bytes, in: directory)
        do { try MetadataSpool.verify(path: path, fieldCount: 2, itemCount: 3, done: done) } catch {
            return "\(error)"
        }
        return nil
    }

    let good = MetadataSpool.encode(items: [1, 0], rows: [["1", "=b,c"], ["0", "a"]])

    @Test("a well-formed spool passes, a torn last record too; every done item needs its row")
    func wellFormed() {
        #expect(Self.damage(good) == nil)
        #expect(Self.damage(good + MetadataSpool.encode(items: [2], rows: [["2", "x"]]).dropLast(2)) == nil)
        #expect(Self.damage(good + [1, 2, 3]) == nil)
        #expect(Self.damage(good, done: [1, 1, 1])?.contains("1 items marked done have no metadata row") == true)
    }

    @Test("records naming another item, holding another row or an absurd length are damage, named")
    func damaged() {
        var outOfRange = good
        outOfRange[0] = 9
        let message = Self.damage(outOfRange) ?? ""
        #expect(message.contains("meta.csv.spool is damaged") && message.contains("names item 9, outside 0..<3"))
        var fields = MetadataSpool.encode(items: [0], rows: [["0", "a", "b"]])
        #expect(Self.damage(fields)?.contains("has 3 fields instead of 2") == true)
        fields = good
        fields[14] = 0
        #expect(Self.damage(fields)?.contains("NUL") == true)
        var length = good
        length[11] = 0x7f
        #expect(Self.damage(length)?.contains("claims a row of") == true)
    }

    @Test("a lock is refused while its holder lives, taken over when it died, and released only by its holder")
    func lock() throws {
        let directory = Self.directory("lock")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/.beamforge.lock"
        let me = LockHolder.this(started: "now")
        let init1 = LockHolder(host: ProcessIdentity.hostName, pid: 1, started: "then")
        let elsewhere = LockHolder(host: "no-such-node", pid: ProcessIdentity.id, started: "then")
        let dead = LockHolder(host: ProcessIdentity.hostName, pid: Int32.max, started: "then")

        #expect(try LockFile.acquire(path, as: me) == .acquired(replaced: nil))
        #expect(try LockFile.acquire(path, as: init1) == .held(by: me))
        LockFile.release(path, heldBy: init1)
        #expect(FileManager.default.fileExists(atPath: path))
        LockFile.release(path, heldBy: me)
        #expect(!FileManager.default.fileExists(atPath: path))

        for (holder, outcome) in [(init1, LockFile.Outcome.held(by: init1)), (elsewhere, .held(by: elsewhere)),
                                  (dead, .acquired(replaced: dead))] {
            FileManager.default.createFile(atPath: path, contents: Data(holder.text.utf8))
            #expect(try LockFile.acquire(path, as: me) == outcome)
        }
        #expect(LockHolder(text: try String(contentsOfFile: path, encoding: .utf8)) == me)
        FileManager.default.createFile(atPath: path, contents: Data("garbage".utf8))
        #expect(try LockFile.acquire(path, as: me) == .held(by: nil))
    }
}
