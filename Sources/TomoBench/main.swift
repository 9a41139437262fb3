// tomo-bench: compute-only timings of the tomo workload for scripts/bench (no output files, no MPI calls).
//
//     [mpirun -n R] tomo-bench SAMPLES [SIZE]
//
// Each process (its rank from the launcher's environment) takes every R-th sample and reports, as one JSON line,
// the wall time of its phantoms + analytic projections alone and of complete complex-mode samples (projection,
// flat fields, noise, 5 shifts), as beamforge tomo computes them before writing.
import Foundation
import Tomo

func now() -> Double { Date().timeIntervalSince1970 }

func benchmark() throws {
    let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    let env = ProcessInfo.processInfo.environment
    let rank = Int(env["OMPI_COMM_WORLD_RANK"] ?? "0") ?? 0
    let ranks = Int(env["OMPI_COMM_WORLD_SIZE"] ?? "1") ?? 1
    var settings = TomoSettings()
    settings.samples = args.first ?? 4
    settings.size = args.dropFirst().first ?? 256
    let job = try TomoJob(settings: settings, seed: 1)
    let mine = Array(stride(from: rank, to: settings.samples, by: ranks))

    var t = now()
    var checksum = 0.0
    for item in mine { checksum += Double(job.phantom(sample: item).projection[job.geometry.volumeCount / 2]) }
    let projection = now() - t

    t = now()
    for item in mine {
        checksum += Double(try job.produce(item: item, context: .init(seed: 1, item: item, timestamp: "")).metadata.count)
    }
    let complex = now() - t
    print("{\"rank\": \(rank), \"samples\": \(mine.count), \"projection_s\": \(projection), "
          + "\"complex_s\": \(complex), \"checksum\": \(checksum)}")
}

do { try benchmark() } catch {
    FileHandle.standardError.write(Data("tomo-bench: \(error)\n".utf8))
    exit(1)
}
