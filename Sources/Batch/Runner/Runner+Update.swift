import Core
import Foundation
import HDF5
import Logging
import MPI

/// `--update`: a complete output brought up to date with a job whose items are the output's plus new ones (frames
/// added to an input directory). The items it holds, found by ``Job/itemKeys``, are copied into a new `.partial`
/// at their new places, with their metadata rows; the resume path computes the rest and replaces the output only
/// when everything is written, so the result equals a fresh run over all the items and a crash leaves the old
/// output complete.
extension Runner {
    /// How the stored keys of an output's items differ from the job's, in words; nil when they are the same.
    static func keyChange(stored: [String], job keys: [String]) -> String? {
        guard stored != keys else { return nil }
        let old = Set(stored), new = Set(keys)
        let added = keys.filter { !old.contains($0) }, gone = stored.filter { !new.contains($0) }
        func some(_ keys: [String]) -> String { keys.prefix(3).joined(separator: ", ") + (keys.count > 3 ? ", …" : "") }
        var parts: [String] = []
        if !added.isEmpty { parts.append("\(added.count) new (\(some(added)))") }
        if !gone.isEmpty { parts.append("\(gone.count) gone (\(some(gone)))") }
        if parts.isEmpty { parts.append("the same ones in another order or number") }
        return "its inputs changed: " + parts.joined(separator: ", ")
    }

    /// The stored item keys of `file`, or nil when it has none.
    static func storedKeys(_ file: HDF5.File) -> [String]? {
        guard let dataset = try? file.openDataset(itemKeysPath) else { return nil }
        return try? dataset.readStrings()
    }

    /// Where each of the job's items is in the complete output (nil: new), decided by rank 0 and agreed.
    /// - Throws: an agreed ``BatchError`` when the output was made by another job, seed or configuration, records
    ///   no item keys, or holds items the job no longer has.
    /// - Important: Collective.
    func planUpdate<J: Job>(_ job: J, paths: OutputPaths) throws -> (places: [Int?], storedCount: Int) {
        var answer = ""
        if session.isRoot {
            do {
                let (places, count) = try readUpdatePlan(job, path: paths.final)
                answer = "\(count):" + places.map { $0.map(String.init) ?? "-" }.joined(separator: ",")
            } catch let error as BatchError {
                answer = "!" + error.message
            } catch {
                answer = "!cannot update \(paths.final): \(error)"
            }
        }
        answer = session.broadcast(answer)
        if answer.hasPrefix("!") { throw BatchError(.resumeMismatch, String(answer.dropFirst()), agreed: true) }
        let parts = answer.split(separator: ":", maxSplits: 1)
        let places = parts[1].split(separator: ",").map { Int($0) }
        return (places, Int(parts[0]) ?? 0)
    }

    /// Rank 0: the output's item places for the job's items (see ``planUpdate(_:paths:)``).
    private func readUpdatePlan<J: Job>(_ job: J, path: String) throws -> ([Int?], Int) {
        let remedy = "rerun with --overwrite to start again"
        func refuse(_ what: String) -> BatchError {
            BatchError(.resumeMismatch, "cannot update \(path): \(what); \(remedy)", agreed: true)
        }
        guard let keys = job.itemKeys else { throw refuse("\(job.name) outputs cannot be updated") }
        let file = try HDF5.File.open(path)
        defer { try? file.close() }
        try checkMatches(file, job: job, path: path, action: "update", remedy: remedy, sameItems: false)
        guard let stored = Self.storedKeys(file) else {
            throw refuse("it records no item keys (written before --update existed)")
        }
        // A key may occur more than once (a file given twice): its places are taken in order.
        var places: [String: ArraySlice<Int>] = [:]
        for (index, key) in stored.enumerated() { places[key, default: []].append(index) }
        let mapped: [Int?] = keys.map { key in places[key]?.popFirst() }
        let gone = places.filter { !$0.value.isEmpty }.map(\.key).sorted()
        if !gone.isEmpty {
            throw refuse("--update only adds inputs, and " + (Self.keyChange(stored: gone, job: []) ?? ""))
        }
        return (mapped, stored.count)
    }

    /// Writes the `.partial` of an update: the job's layout, the kept items' rows copied from the complete output
    /// and flagged done, and a spool with their metadata rows renumbered.
    /// - Important: Collective.
    func buildUpdate<J: Job>(_ job: J, paths: OutputPaths, places: [Int?], storedCount: Int,
                             started: Date) throws {
        let moves = places.enumerated().compactMap { new, old in old.map { (from: $0, to: new) } }
        try onRoot(.output) {
            try MetadataSpool.create(path: paths.spool, fromCSV: paths.metadata, header: job.metadataColumns,
                                     rowCount: storedCount, moving: moves, renumber: job.renumbered)
        }
        // Runs of items kept in the same order, at most 1024 rows each (a bounded read on rank 0).
        var runs: [(from: Int, to: Int, count: Int)] = []
        for move in moves {
            if let last = runs.last, last.count < 1024, last.from + last.count == move.from,
               last.to + last.count == move.to {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((move.from, move.to, 1))
            }
        }
        do {
            try wrapIO {
                let file = try HDF5.File.create(paths.partial, communicator: communicator)
                let (outputs, done) = try createLayout(file, job: job, started: started)
                let summaries = try createItemSummaries(file, job: job)
                let old = session.isRoot ? try HDF5.File.open(paths.final) : nil
                let copies = zip(job.outputs, outputs).map { ($1, "/\(job.name)/\($0.name)", $0.type) }
                    + zip(job.statistics.filter(\.byItem), summaries).map { ($1, Self.itemSummariesPath($0), ElementType.float64) }
                for (dataset, path, type) in copies {
                    let source = try old?.openDataset(path)
                    for run in runs {
                        if let source {
                            try Column.read(type, rows: run.from..<run.from + run.count, from: source)
                                .write(to: dataset, rows: [run.to..<run.to + run.count])
                        } else {
                            try dataset.writeNoRows()
                        }
                    }
                }
                let mine = session.isRoot ? runs.map { $0.to..<$0.to + $0.count } : []
                try done.write([UInt8](repeating: 1, count: mine.reduce(0) { $0 + $1.count }), rows: mine)
                try old?.close()
                try file.close()
            }
        } catch {
            if session.isRoot { Files.remove(paths.spool) }
            throw error
        }
        logger.info("updating \(paths.final): \(moves.count) of \(job.itemCount) items kept, \(job.itemCount - moves.count) new")
    }

    /// `--resume` of a complete output: refuses one whose items or configuration differ from the job's (the
    /// inputs gained frames), naming what changed, instead of calling it complete.
    /// - Important: Collective.
    func verifyComplete<J: Job>(_ job: J, paths: OutputPaths) throws {
        var verdict = ""
        if session.isRoot {
            do {
                let file = try HDF5.File.open(paths.final)
                defer { try? file.close() }
                try checkMatches(file, job: job, path: paths.final, action: "resume",
                                 remedy: "pass --update to compute the new inputs into it, or --overwrite to start again")
            } catch let error as BatchError {
                verdict = error.message
            } catch {
                verdict = "cannot read \(paths.final): \(error)"
            }
        }
        verdict = session.broadcast(verdict)
        if !verdict.isEmpty { throw BatchError(.resumeMismatch, verdict, agreed: true) }
    }
}
