import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

extension Runner {
    /// Checks that `file` was made by this job, items (their keys, where the job has them, and count), seed and
    /// configuration before `action` touches it; `sameItems: false` leaves the items to the caller (`--update`).
    func checkMatches<J: Job>(_ file: HDF5.File, job: J, path: String, action: String,
                              remedy: String, sameItems: Bool = true) throws {
        func mismatch(_ what: String) -> BatchError {
            BatchError(.resumeMismatch, "cannot \(action) \(path): \(what); \(remedy)", agreed: true)
        }
        guard case .string(job.name)? = try file.attribute("job") else { throw mismatch("it was written by another job") }
        if sameItems, let keys = job.itemKeys, let stored = Self.storedKeys(file),
           let change = Self.keyChange(stored: stored, job: keys) {
            throw mismatch(change)
        }
        if sameItems, try file.attribute("item_count") != .int(Int64(job.itemCount)) {
            throw mismatch("it holds a different number of items")
        }
        // Outputs before 0.1.1 stored the seed as text.
        switch try file.attribute("seed") {
        case .uint(options.seed)?, .string(String(options.seed))?: break
        default: throw mismatch("it was made with another seed")
        }
        guard case .string(let stored)? = try file.attribute("job_config"), stored == options.jobConfigText else {
            throw mismatch("it was made with a different configuration")
        }
    }

    /// Checks, on rank 0 and before anything is changed, that an interrupted run can be continued: its `.partial`
    /// opens, was made by this job, item count, seed and configuration, and has every dataset at its full length,
    /// and its metadata spools hold well-formed rows, one for every item marked done.
    /// - Throws: an agreed ``BatchError`` naming what is damaged or different.
    /// - Important: Collective.
    func verifyResumable<J: Job>(_ job: J, paths: OutputPaths) throws {
        // Rank 0's verdict, its first character the kind: "m" another run's file, "d" damage.
        var verdict = ""
        if session.isRoot {
            do {
                let done = try verifyPartial(job, path: paths.partial)
                try MetadataSpool.verify(path: paths.spool, fieldCount: job.metadataColumns.count,
                                         itemCount: job.itemCount, done: done)
            } catch let error as BatchError {
                verdict = (error.kind == .resumeMismatch ? "m" : "d") + error.message
            } catch {
                verdict = "d\(error)"
            }
        }
        verdict = session.broadcast(verdict)
        if let kind = verdict.first {
            throw BatchError(kind == "m" ? .resumeMismatch : .damaged, String(verdict.dropFirst()), agreed: true)
        }
    }

    /// Opens `path` on this process alone and checks it; returns its done flags. Rank 0.
    private func verifyPartial<J: Job>(_ job: J, path: String) throws -> [UInt8] {
        let remedy = "rerun without --resume (and with --overwrite) to start again"
        func damaged(_ what: String) -> BatchError {
            BatchError(.damaged, "cannot resume \(path): \(what); \(remedy)", agreed: false)
        }
        let file: HDF5.File
        do { file = try HDF5.File.open(path) } catch { throw damaged("it is damaged or not HDF5 (\(error))") }
        defer { try? file.close() }
        do {
            try checkMatches(file, job: job, path: path, action: "resume", remedy: remedy)
        } catch let error as BatchError {
            throw error
        } catch {
            throw damaged("its attributes cannot be read (\(error))")
        }
        func rows(_ name: String) throws -> Int {
            do { return try file.openDataset(name).rowCount } catch { throw damaged("it lacks \(name)") }
        }
        let names = ["/progress/done"] + job.outputs.map { "/\(job.name)/\($0.name)" }
            + job.statistics.filter(\.byItem).map(Self.itemSummariesPath)
        for name in names {
            let count = try rows(name)
            if count != job.itemCount { throw damaged("\(name) has \(count) rows for \(job.itemCount) items") }
        }
        do { return try file.openDataset("/progress/done").read(UInt8.self) } catch {
            throw damaged("/progress/done cannot be read (\(error))")
        }
    }

    /// Turns a complete output back into an interrupted run that lacks exactly `options.redo`: meta.csv becomes
    /// a spool without their rows, their done flags are cleared and the file takes its `.partial` name again, so
    /// that the resume path computes them. A crash at any point leaves either the complete output or an ordinary
    /// run for `--resume`; never a file presented as complete with items missing.
    func reopenForRedo<J: Job>(_ job: J, paths: OutputPaths) throws {
        let items = options.redo ?? []
        try onRoot(.output) {
            try MetadataSpool.create(path: paths.spool, fromCSV: paths.metadata, header: job.metadataColumns,
                                     itemCount: job.itemCount, excluding: Set(items))
        }
        do {
            let file = try wrapIO { try HDF5.File.open(paths.final, writable: true, communicator: communicator) }
            do {
                try checkMatches(file, job: job, path: paths.final, action: "redo items of",
                                 remedy: "pass the configuration and seed it was made with")
            } catch {
                try? file.close()  // every rank refuses alike; an open file would be closed after MPI_Finalize
                throw error
            }
            try wrapIO {
                let done = try file.openDataset("/progress/done")
                let mine = session.isRoot ? items : []
                try done.write([UInt8](repeating: 0, count: mine.count), rows: Partition.runs(of: mine))
                try file.close()
            }
        } catch {
            if session.isRoot { Files.remove(paths.spool) }
            throw error
        }
        try onRoot(.output) {
            Files.remove(paths.metadata)
            try Files.rename(paths.final, to: paths.partial)
        }
    }

    /// Runs `body` on rank 0 only; every rank throws its error (as an agreed ``BatchError`` of `kind`) or none.
    /// - Important: Collective.
    func onRoot(_ kind: BatchError.Kind, _ body: () throws -> Void) throws {
        var failure = ""
        if session.isRoot {
            do { try body() } catch { failure = "\(error)" }
        }
        failure = session.broadcast(failure)
        if !failure.isEmpty { throw BatchError(kind, failure, agreed: true) }
    }
}
