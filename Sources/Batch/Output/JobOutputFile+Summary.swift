import Foundation

/// What a report shows of any job's output: the provenance attributes and the global statistics.
extension JobOutputFile {
    /// (label, value) pairs of the file's provenance: the job, the writing version, items, seed, random streams,
    /// creation time, dataset timestamp, sessions with their rank counts, and the file's size.
    public func provenance() throws -> [(label: String, value: String)] {
        var rows: [(String, String)] = [("file", path)]
        for (name, label) in [("job", "job"), ("beamforge_version", "written by beamforge"), ("item_count", "items"),
                              ("seed", "seed"), ("random_generator", "random streams"), ("created", "created"),
                              ("timestamp", "dataset timestamp")] {
            if let value = try attribute(name, at: "/") { rows.append((label, Self.text(value))) }
        }
        if case .string(let json)? = try attribute("runs", at: "/"),
           let runs = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] {
            let ranks = runs.compactMap { ($0["ranks"] as? NSNumber)?.intValue }
            rows.append(("sessions", "\(runs.count) (ranks: \(ranks.map(String.init).joined(separator: ", ")))"))
        }
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber {
            rows.append(("file size", ByteCountFormatter.string(fromByteCount: size.int64Value, countStyle: .binary)))
        }
        return rows
    }

    /// The scalar statistics `/stats/<name>/{count,mean,std,min,max}`, one entry per name in file order.
    public func statistics() throws -> [(name: String, count: Double, mean: Double, std: Double, min: Double, max: Double)] {
        var names: [String] = []
        for (path, shape) in try datasets() where path.hasPrefix("/stats/") && shape.reduce(1, *) == 1 {
            let parts = path.split(separator: "/")
            if parts.count == 3 && parts[2] == "mean" { names.append(String(parts[1])) }
        }
        return try names.map { name in
            func value(_ field: String) throws -> Double {
                guard try shape(at: "/stats/\(name)/\(field)") != nil else { return .nan }
                return try read(Double.self, at: "/stats/\(name)/\(field)").first ?? .nan
            }
            return (name, try value("count"), try value("mean"), try value("std"), try value("min"), try value("max"))
        }
    }

    /// The resolved configuration the run recorded (YAML), if any.
    public func configuration() throws -> String? {
        if case .string(let text)? = try attribute("config", at: "/") { return text }
        return nil
    }

    static func text(_ value: AttributeValue) -> String {
        switch value {
        case .string(let s): return s
        case .strings(let s): return s.joined(separator: ", ")
        case .int(let i): return String(i)
        case .ints(let i): return i.map(String.init).joined(separator: ", ")
        case .uint(let u): return String(u)
        case .double(let d): return String(format: "%g", d)
        case .doubles(let d): return d.map { String(format: "%g", $0) }.joined(separator: ", ")
        }
    }
}
