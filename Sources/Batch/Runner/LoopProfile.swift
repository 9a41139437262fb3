import Core
import Foundation
import MPI

/// The loop's profile for `--profile`: per batch, the rank that computed it, its items and its read and compute
/// seconds; per write round, each rank's seconds in the collective write (waiting for the slowest rank included).
/// Cheap: a few numbers per batch, gathered to rank 0 once, at the end.
struct LoopProfile {
    private let enabled: Bool
    private var lines: [String] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func batch(_ index: Int, first: Int, count: Int, read: Double, compute: Double) {
        guard enabled else { return }
        lines.append("batch,\(index),\(first),\(count),\(read),\(compute)")
    }

    mutating func write(_ round: Int, items: Int, seconds: Double) {
        guard enabled else { return }
        lines.append("write,\(round),,\(items),,\(seconds)")
    }

    /// Writes the profile of every rank to `path` (rank 0), as CSV with columns
    /// `rank,kind,index,first_item,items,read_s,seconds` and a last line per rank with its loop phases.
    /// - Important: Collective when profiling.
    func save(to path: String?, communicator: Communicator, phases: LoopPhases) throws {
        guard enabled, let path else { return }
        let own = (lines + ["loop,,,,\(phases.read),\(phases.loop)"]).map { "\(communicator.rank)," + $0 }
        let text = own.joined(separator: "\n") + "\n"
        guard let gathered = communicator.gather(bytes: Array(text.utf8)) else { return }
        var all = "rank,kind,index,first_item,items,read_s,seconds\n"
        for part in gathered { all += String(decoding: part, as: UTF8.self) }
        do {
            try all.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BatchError(.output, "cannot write the profile \(path): \(error)", agreed: false)
        }
    }
}
