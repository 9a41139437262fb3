import ArgumentParser
import Foundation
import SAXS

/// `beamforge saxs-model`: evaluate curves specified in sasmodels' terms (for refits, checks and benchmarks).
struct SAXSModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saxs-model",
        abstract: "Evaluate dΣ/dΩ(q) of curves given as sasmodels models and parameters (JSON), on one core.",
        discussion: """
            Input: a JSON list of {"model": sasmodels name, "params": {...}, "q": [...]}; polydispersity as \
            <par>_pd (+ _pd_nsigma, _pd_n with --sasmodels-grid) or length_scale_pd. Output: a JSON list of \
            {"I": [...], "seconds": time per curve}, unsmeared, in 1/cm.
            """)

    @Option(name: .long, help: ArgumentHelp("JSON file of curve specifications.", valueName: "file.json"))
    var specs: String

    @Option(name: .long, help: "standard (beamforge's adaptive rules), reference (direct sums, 2.5× the points) or sasmodels (its orientation rules).")
    var accuracy: String = "standard"

    @Flag(name: .customLong("sasmodels-grid"), help: "Use sasmodels' uniform PD grid of <par>_pd_n points.")
    var sasmodelsGrid = false

    @Option(name: .long, help: "Evaluate each curve until this many seconds have passed, for timing.")
    var minTime: Double = 0

    struct Result: Codable {
        var I: [Double]
        var seconds: Double
        var evaluations: Int
    }

    func run() throws {
        let chosen: QuadratureAccuracy
        switch accuracy {
        case "standard": chosen = .standard
        case "reference": chosen = .reference
        case "sasmodels": chosen = .sasmodels
        default: throw ValidationError("--accuracy must be standard, reference or sasmodels (got \(accuracy))")
        }
        guard minTime >= 0, minTime <= 3600 else {
            throw ValidationError("--min-time must be from 0 to 3600 seconds (got \(minTime))")
        }
        let specifications: [ModelSpecification]
        guard let data = FileManager.default.contents(atPath: specs) else {
            throw ValidationError("\(specs): cannot read the file")
        }
        do {
            specifications = try JSONDecoder().decode([ModelSpecification].self, from: data)
        } catch {
            throw ValidationError("\(specs): not a list of curve specifications: \((error as? DecodingError).map(ConfigDocument.describe) ?? "\(error)")")
        }
        for (i, spec) in specifications.enumerated() {
            do { try spec.validate() } catch { throw ValidationError("\(specs): curve \(i): \(error)") }
        }
        var results: [Result] = []
        for (i, spec) in specifications.enumerated() {
            let sample: Sample
            do { sample = try spec.sample(uniformGrid: sasmodelsGrid) } catch {
                throw ValidationError("\(specs): curve \(i): \(error)")
            }
            let start = Date()
            var values = sample.intensity(q: spec.q, accuracy: chosen)
            var evaluations = 1
            while Date().timeIntervalSince(start) < minTime {
                values = sample.intensity(q: spec.q, accuracy: chosen)
                evaluations += 1
            }
            results.append(Result(I: values, seconds: Date().timeIntervalSince(start) / Double(evaluations),
                                  evaluations: evaluations))
        }
        let encoder = JSONEncoder()
        print(String(decoding: try encoder.encode(results), as: UTF8.self))
    }
}
