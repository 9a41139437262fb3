import ArgumentParser
import Batch
import Foundation
import Integration
import Report
import SAXS
import Stack
import Tomo
import Yams

/// `beamforge report DIR`: one self-contained HTML page of any beamforge output directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write DIR/report.html: the provenance, statistics and figures of a beamforge output directory.",
        discussion: """
            Works on the output of saxs, integrate, tomo, stack and mask (the job is found from the file in DIR). \
            The page is self-contained: figures are inline PNGs, nothing is fetched. Data are read by hyperslab, so \
            a report of a large file reads only what it shows. Runs on one process.
            """)

    @Argument(help: ArgumentHelp("An output directory of a beamforge run.", valueName: "DIR"))
    var directory: String

    @Option(help: ArgumentHelp("Where to write the page (default DIR/report.html).", valueName: "FILE"))
    var output: String?

    func run() throws {
        let path = output ?? directory + "/report.html"
        do {
            let document = try ReportCatalog.document(directory: directory)
            do { try document.write(to: path) } catch {
                FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
            print("report: \(path) (\(document.figures.count) figures)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

/// Which report belongs to which output: the job's file name and the workload that draws its page.
enum ReportCatalog {
    static let reports: [(file: String, document: @Sendable (String) throws -> ReportDocument)] = [
        ("saxs.h5", SAXSReport.document(directory:)),
        ("integrated.h5", IntegrationReport.document(directory:)),
        ("tomo.h5", { directory in try TomoReport.document(directory: directory, configuration: storedTomoConfiguration(directory)) }),
        ("stack.h5", StackReport.stack(directory:)),
        ("mask.h5", StackReport.mask(directory:)),
        ("orient.h5", OrientReport.document(directory:)),
    ]

    /// The report of the output in `directory`.
    /// - Throws: ``ReportError`` when the directory holds no beamforge output, or the workload's error naming the
    ///   file or dataset at fault.
    static func document(directory: String) throws -> ReportDocument {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError("\(directory): no such directory")
        }
        for (file, document) in reports where FileManager.default.fileExists(atPath: directory + "/" + file) {
            return try document(directory)
        }
        let partial = reports.map(\.file).first { FileManager.default.fileExists(atPath: directory + "/" + $0 + ".partial") }
        if let partial {
            throw ReportError("\(directory)/\(partial).partial: the run is unfinished (run it with --resume first)")
        }
        throw ReportError("\(directory): no beamforge output (\(reports.map(\.file).joined(separator: ", ")))")
    }

    /// The tomo run's configuration as recorded in its file (nil when it cannot be read back: the page then shows
    /// what the file alone holds).
    static func storedTomoConfiguration(_ directory: String) -> TomoConfig? {
        guard let file = try? JobOutputFile(directory: directory, job: "tomo") else { return nil }
        defer { try? file.close() }
        guard let text = try? file.configuration() else { return nil }
        return try? YAMLDecoder().decode(TomoConfig.self, from: text)
    }

    /// Writes `directory/report.html` (the runs' `--report`).
    static func write(directory: String) throws {
        try ReportCatalog.document(directory: directory).write(to: directory + "/report.html")
    }
}
