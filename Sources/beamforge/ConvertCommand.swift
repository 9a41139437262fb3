import ArgumentParser
import Core
import Formats
import Foundation
import Integration
import POSIX

/// `beamforge convert IN OUT`: calibrations into SAXSDog's JSON, or SAXSDog calibrations into PONI files.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a Fit2D, PONI or older SAXSDog calibration into a SAXSDog calibration JSON (or a PONI file).",
        discussion: """
            IN: a Fit2D calibration printout ("Refined ..." or "Best fit ..." lines), a pyFAI PONI file or a SAXSDog \
            JSON. OUT ending in .json: the geometry is put into OUT when it exists (updated in place), else into \
            --template, else into SAXSDog's schema defaults; the result must load in integrate. OUT ending in \
            .poni: the PONI file of IN's geometry.
            """)

    @Argument(help: ArgumentHelp("Calibration to read.", valueName: "IN"))
    var input: String

    @Argument(help: ArgumentHelp("SAXSDog calibration (.json) to write or update, or a .poni file.", valueName: "OUT"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("SAXSDog calibration to start from when OUT does not exist.",
                                            valueName: "file.json"))
    var template: String?

    @Option(name: .long, help: ArgumentHelp("What IN is: fit2d, poni or saxsdog (default: recognised from its text).",
                                            valueName: "kind"))
    var from: String?

    func run() throws {
        do {
            let source = try from.map { name throws(ConfigError) in
                guard let kind = CalibrationConversion.Source(rawValue: name) else {
                    throw ConfigError(key: "--from", "must be fit2d, poni or saxsdog (got '\(name)')")
                }
                return kind
            }
            guard let data = FileManager.default.contents(atPath: input),
                  let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
                throw ConfigError(key: input, "cannot read the file")
            }
            let contents: String
            let warnings: [String]
            if output.lowercased().hasSuffix(".poni") {
                let kind = source ?? CalibrationConversion.detect(text)
                guard kind == .saxsdog || kind == .poni else {
                    throw ConfigError(key: input, "a PONI file is written from a SAXSDog JSON or a PONI file; "
                                      + "convert this one to JSON first")
                }
                let calibration = try Calibration.load(input)
                contents = CalibrationConversion.poniText(calibration)
                warnings = calibration.warnings
            } else {
                guard output.lowercased().hasSuffix(".json") else {
                    throw ConfigError(key: output, "OUT must end in .json (SAXSDog) or .poni (pyFAI)")
                }
                let base = FileManager.default.fileExists(atPath: output) ? output : template
                let start = try base.map { path -> JSONValue in
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw ConfigError(key: path, "cannot read the calibration to update")
                    }
                    return try JSONValue(parsing: text, file: path)
                } ?? CalibrationConversion.schemaDefaults
                let converted = try CalibrationConversion.saxsdogJSON(from: text, file: input, source: source,
                                                                      template: start)
                contents = converted.json.pythonDumps(indent: 4)
                warnings = converted.warnings
            }
            // Written beside OUT, checked by loading it as integrate does, then renamed into place.
            let temporary = output + ".convert.tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(contents.utf8)) else {
                throw ConfigError(key: output, "cannot write it")
            }
            do {
                _ = try Calibration.load(temporary)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw ConfigError(key: output, "the converted calibration does not load: \(error)"
                                  .replacingOccurrences(of: temporary, with: output))
            }
            do { try FileSystem.rename(temporary, to: output) } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw ConfigError(key: output, "cannot write it: \(error)")
            }
            for warning in warnings { FileHandle.standardError.write(Data("beamforge: warning: \(warning)\n".utf8)) }
            print("wrote \(output)")
        } catch let error as ConfigError {
            Launch.reject(error)
        } catch {
            Launch.reject(ConfigError("\(error)"))
        }
    }
}
