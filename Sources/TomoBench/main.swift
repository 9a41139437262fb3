// tomo-bench: compute-only timings of the tomo workload for scripts/bench (no output files, no MPI calls).
//
//     [mpirun -n R] tomo-bench SAMPLES [SIZE]
//
// Each process (its rank from the launcher's environment) takes every R-th sample and reports, as one JSON line,
// the wall time of its phantom + analytic projections alone and of complete complex-mode samples (projection,
// flat fields, noise, 5 shifts), as beamforge tomo computes them before writing.
import Foundation
import Tomo

struct Arguments {
    var samples = 4
    var size = 256

    init() {
        let args = CommandLine.arguments.dropFirst()
        if let first = args.first, let n = Int(first) { samples = n }
        if args.count > 1, let n = Int(args[args.startIndex + 1]) { size = n }
    }
}

func now() -> Double { Date().timeIntervalSince1970 }

func benchmark() throws {
    let arguments = Arguments()
    let env = ProcessInfo.processInfo.environment
    let rank = Int(env["OMPI_COMM_WORLD_RANK"] ?? "0") ?? 0
    let ranks = Int(env["OMPI_COMM_WORLD_SIZE"] ?? "1") ?? 1
    var settings = TomoSettings()
    settings.samples = arguments.samples
    settings.size = arguments.size
    let mine = Array(stride(from: rank, to: arguments.samples, by: ranks))

    settings.mode = .simple
    var job = try TomoJob(settings: settings, seed: 1)
    // Projection alone: the phantom and its analytic sinograms.
    var t = now()
    var checksum = 0.0
    for item in mine {
        var random = RandomStreamFactory.phantom(seed: 1, sample: item)
        let spheres = SpherePhantom.sample(count: settings.objects, ranges: settings.phantom, random: &random)
        var p = [Float](repeating: 0, count: job.geometry.volumeCount)
        p.withUnsafeMutableBufferPointer { SphereProjector.project(spheres, geometry: job.geometry, into: $0) }
        checksum += Double(p[p.count / 2])
    }
    let projection = now() - t

    settings.mode = .complex
    job = try TomoJob(settings: settings, seed: 1)
    t = now()
    for item in mine {
        let output = try job.produce(item: item, context: .init(seed: 1, item: item, timestamp: ""))
        checksum += Double(output.metadata.count)
    }
    let complex = now() - t
    print("{\"rank\": \(rank), \"samples\": \(mine.count), \"projection_s\": \(projection), "
          + "\"complex_s\": \(complex), \"checksum\": \(checksum)}")
}

do { try benchmark() } catch {
    FileHandle.standardError.write(Data("tomo-bench: \(error)\n".utf8))
    exit(1)
}
