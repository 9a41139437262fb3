import Batch
import Core

extension PtychoQCJob {
    /// `/qc`: one dataset per feature, the position, the score and the verdict (1 = accepted).
    public var outputs: [OutputSpec] {
        [OutputSpec("x_m", type: .float64, attributes: ["units": .string("m")]),
         OutputSpec("y_m", type: .float64, attributes: ["units": .string("m")])]
            + QCTable.columns.map { OutputSpec($0, type: .float64) }
            + [OutputSpec("score", type: .float64, attributes: [
                "description": .string("Z²/(Z² + z0²), Z the largest robust z of the scored features"),
            ]),
               OutputSpec("accepted", type: .uint8, attributes: ["description": .string("1 = accepted, 0 = rejected")])]
    }

    /// The input, the rule, and per scored feature its median and robust scale.
    public var groupAttributes: [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [
            "input": .string(settings.input), "data_path": .string(settings.dataPath),
            "embed_side": .int(Int64(settings.embedSide)), "pca_k": .int(Int64(settings.pcaComponents)),
            "half_score_z": .double(settings.halfScoreZ), "rule": .string("\(settings.rule)"),
            "pos_x_path": .string(settings.positionXPath), "pos_y_path": .string(settings.positionYPath),
            "scored_shape": .ints([Int64(rows), Int64(columns)]), "bin": .int(Int64(settings.bin)),
        ]
        if let score = table?.score {
            attributes["scored_features"] = .strings(score.features.map(\.name))
            attributes["medians"] = .doubles(score.medians)
            attributes["scales"] = .doubles(score.scales)
        }
        return attributes
    }

    public var metadataColumns: [String] { ["index", "x_m", "y_m"] + QCTable.columns + ["score", "accepted", "reason"] }

    public func produce(item p: Int, context: ItemContext) throws -> ItemOutput {
        guard let table else { throw ItemFailure(item: p, underlying: ConfigError(key: "qc", "features not computed")) }
        let row = table.values[p], accepted = !table.rejected[p]
        var values: [String: Column] = ["x_m": .float64([x[p]]), "y_m": .float64([y[p]]),
                                        "score": .float64([table.scores[p]]), "accepted": .uint8([accepted ? 1 : 0])]
        for (name, v) in zip(QCTable.columns, row) { values[name] = .float64([v]) }
        let metadata = [String(p), "\(x[p])", "\(y[p])"] + row.map { "\($0)" }
            + ["\(table.scores[p])", accepted ? "1" : "0", accepted ? "" : table.reasons[p]]
        return ItemOutput(values: values, metadata: metadata)
    }
}
