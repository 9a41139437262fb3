import Core
import Foundation
import Integration
import SAXS
import Stack
import Tomo

/// A YAML file through the command line's own loader (ConfigDocument: parse, decode, unknown keys) and each
/// workload's validation, as `beamforge saxs|integrate|tomo|stack --config` run them before any work.
enum ConfigFuzzing {
    static func run(_ data: Data) {
        let path = ScratchFile.write(data, name: "config.yml")
        guard var document = try? ConfigDocument(path: path) else { return }
        _ = try? document.set("seed", to: "7", origin: "--set")
        let settings = try? document.decode(RunSettings.self)
        try? settings?.validate()
        if let config = try? document.decode(SAXSConfig.self) {
            try? document.rejectUnknownKeys([config])
            try? config.validate()
            _ = ConfigDocument.canonicalYAML([config])
        }
        if let config = try? document.decode(IntegrateConfig.self) {
            try? document.rejectUnknownKeys([config])
            try? config.validate()
            _ = try? config.settings()
        }
        if let config = try? document.decode(TomoConfig.self) {
            _ = try? TomoJob(config: config, seed: settings?.seed ?? 1)
        }
        if let config = try? document.decode(StackConfig.self) {
            try? config.validate()
        }
    }
}
