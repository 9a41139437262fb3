import Foundation
import SAXS

/// The golden values of docs/reference/saxs_golden.json (sasmodels 1.1.0, docs/reference/saxs-physics.md §8).
enum Golden {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/reference/saxs_golden.json").standardized.path

    nonisolated(unsafe) static let json: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: path))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    struct Case: Sendable, CustomStringConvertible {
        let set: String
        let model: String
        let parameters: [String: Double]
        let q: [Double]
        let expected: [Double]
        var description: String {
            "\(set) \(model) " + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }

        /// The sample these parameters describe; PD on the model's size parameter as in the JSON, on sasmodels'
        /// uniform grid of `<par>_pd_n` points when `uniformGrid` is set, else converged.
        func sample(uniformGrid: Bool) throws -> Sample {
            var params = parameters
            params["sld_solvent"] = params["sld_solvent"] ?? Self.defaultSolvent[model]!
            params["background"] = params["background"] ?? 0.001
            return try ModelSpecification(model: model, params: params, q: q).sample(uniformGrid: uniformGrid)
        }

        static let defaultSolvent = ["sphere": 6, "core_shell_sphere": 3, "vesicle": 6.36, "cylinder": 1,
                                     "core_shell_cylinder": 1, "ellipsoid": 1, "core_shell_ellipsoid": 6.3]
    }

    static func cases(_ set: String, expected key: String) -> [Case] {
        (json[set] as! [[String: Any]]).map { entry in
            var parameters: [String: Double] = [:]
            for (k, v) in entry["params"] as! [String: Any] { if let d = v as? Double { parameters[k] = d } }
            return Case(set: set, model: entry["model"] as! String, parameters: parameters,
                        q: entry["q"] as! [Double], expected: entry[key] as! [Double])
        }
    }

    static var official: [Case] { cases("official", expected: "I_expected") }
    static var generated: [Case] { cases("generated", expected: "I") }

    /// `pd_convergence_check`: case name → (q, n35, converged).
    static var convergence: [(name: String, q: [Double], n35: [Double], converged: [Double])] {
        let block = json["pd_convergence_check"] as! [String: Any]
        let q = block["q"] as! [Double]
        return (block["cases"] as! [String: [String: [Double]]]).sorted { $0.key < $1.key }.map {
            ($0.key, q, $0.value["n35"]!, $0.value["converged"]!)
        }
    }

    /// sasmodels' test rule (`model_test.is_near`, 5 digits): |target − actual| < 1.5·10^(ceil(log10|target|) − 5).
    static func nearFiveDigits(_ actual: Double, _ target: Double) -> Bool {
        abs(target - actual) < 1.5 * pow(10, ceil(log10(abs(target))) - 5)
    }
}
