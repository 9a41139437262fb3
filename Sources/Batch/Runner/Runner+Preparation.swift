import Core
import Foundation
import HDF5
import Logging
import MPI
import POSIX

extension Runner {
    enum Decision: Equatable {
        case fresh, resume, complete, redo, update
        case failed(String)

        init(_ text: String) {
            switch text {
            case "fresh": self = .fresh
            case "resume": self = .resume
            case "complete": self = .complete
            case "redo": self = .redo
            case "update": self = .update
            default: self = .failed(String(text.dropFirst("failed:".count)))
            }
        }

        var encoded: String {
            switch self {
            case .fresh: "fresh"
            case .resume: "resume"
            case .complete: "complete"
            case .redo: "redo"
            case .update: "update"
            case .failed(let message): "failed:" + message
            }
        }
    }

    /// Rank 0's look at the output directory: create it, check it, and pick fresh, resume or nothing to do.
    func prepare(_ paths: OutputPaths) -> Decision {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: paths.directory, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return .failed("--out \(paths.directory) exists and is not a directory") }
        } else {
            do {
                try fm.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
            } catch {
                return .failed("cannot create output directory \(paths.directory): \(FileSystem.reason(error))")
            }
        }
        if let refusal = FileSystem.writeRefusal(directory: paths.directory) {
            return .failed("output directory \(paths.directory) is not writable: \(refusal)")
        }
        // One run per output: nothing in the directory is written or removed before the lock is ours.
        // A run made of epochs (integrate --watch) keeps the lock it took for its first one.
        if !session.holdsLock(of: paths.directory) {
            do {
                session.hold(try OutputLock.take(directory: paths.directory) { logger.notice("\($0)") })
            } catch {
                return .failed(error.message)
            }
        }
        let finalExists = Files.exists(paths.final)
        let partialExists = Files.exists(paths.partial)
        if options.redo != nil {
            if partialExists {
                return .failed("\(paths.partial) is an interrupted run: finish it with --resume before redoing items")
            }
            guard finalExists else { return .failed("nothing to redo: \(paths.final) does not exist") }
            guard Files.exists(paths.metadata) else { return .failed("cannot redo items: \(paths.metadata) is missing") }
            return .redo
        }
        if options.update {
            if partialExists {
                return .failed("\(paths.partial) is an interrupted run: finish it with --resume before --update")
            }
            if finalExists {
                guard Files.exists(paths.metadata) else { return .failed("cannot update: \(paths.metadata) is missing") }
                return .update
            }
            logger.info("nothing to update in \(paths.directory); starting a new run")
            for path in [paths.spool, paths.metadata] { Files.remove(path) }
            return .fresh
        }
        if options.resume {
            if partialExists { return .resume }
            if finalExists { return .complete }
            logger.info("no interrupted run in \(paths.directory); starting a new one")
            return .fresh
        }
        if (finalExists || partialExists) && !options.overwrite {
            let which = finalExists ? paths.final : paths.partial
            let hint = finalExists ? "choose another --out or pass --overwrite"
                : "pass --resume to continue the interrupted run, or --overwrite to start again"
            return .failed("\(which) already exists: \(hint)")
        }
        for path in [paths.final, paths.partial, paths.spool, paths.metadata] { Files.remove(path) }
        return .fresh
    }

    /// Checks the job before any work: the same outcome on every rank.
    static func validate<J: Job>(_ job: J, options: RunOptions) throws {
        func fail(_ message: String) -> BatchError { BatchError(.output, message, agreed: true) }
        guard job.itemCount > 0 else { throw fail("\(job.name): the number of items must be at least 1") }
        guard options.batchSize > 0 else { throw fail("batch_size must be at least 1 (got \(options.batchSize))") }
        if let level = options.compression, !(0...9).contains(level) {
            throw fail("compression must be a gzip level from 0 to 9 (got \(level))")
        }
        guard options.chunkItems > 0 else { throw fail("chunk_items must be at least 1") }
        if options.update && (options.resume || options.overwrite || options.redo != nil) {
            throw fail("--update excludes --resume, --overwrite and redoing items")
        }
        if let redo = options.redo {
            guard !redo.isEmpty else { throw fail("\(job.name): the list of items to redo is empty") }
            if let bad = redo.first(where: { !(0..<job.itemCount).contains($0) }) {
                throw fail("\(job.name): item \(bad) to redo is outside 0..<\(job.itemCount)")
            }
            guard Set(redo).count == redo.count, redo == redo.sorted() else {
                throw fail("\(job.name): items to redo must be sorted and distinct")
            }
        }
        for name in job.finishingOutputs where !job.outputs.contains(where: { $0.name == name }) {
            throw fail("\(job.name): finishing output '\(name)' is not declared")
        }
        var seen = Set<String>()
        for spec in job.outputs where !seen.insert(spec.name).inserted {
            throw fail("\(job.name): output '\(spec.name)' is declared twice")
        }
        for spec in job.outputs {
            if let chunk = spec.chunk, chunk.count != spec.itemShape.count || chunk.contains(where: { $0 < 1 }) {
                throw fail("\(job.name): output '\(spec.name)' has chunk \(chunk) for item shape \(spec.itemShape)")
            }
        }
        var results = Set<String>()
        for stat in job.statistics {
            guard let output = job.outputs.first(where: { $0.name == stat.dataset }) else {
                throw fail("\(job.name): statistics requested for undeclared output '\(stat.dataset)'")
            }
            if case .string = output.type { throw fail("\(job.name): statistics of string output '\(stat.dataset)'") }
            if stat.byItem && stat.perFeature {
                throw fail("\(job.name): statistics of '\(stat.dataset)' cannot be both by item and per feature")
            }
            if let groups = stat.groups {
                guard stat.byItem, groups.size > 0, groups.margin >= 0, job.itemCount % groups.size == 0 else {
                    throw fail("\(job.name): statistics of '\(stat.dataset)' in groups need byItem and a group size "
                               + "dividing the \(job.itemCount) items (got \(groups.size))")
                }
            }
            guard results.insert(stat.resultName).inserted else {
                throw fail("\(job.name): statistics '\(stat.resultName)' requested twice")
            }
        }
    }
}
