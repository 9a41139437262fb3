import ArgumentParser
import Foundation
import SAXS

/// `beamforge saxs-qc DIR`: recompute the quality control of a finished SAXS dataset.
struct SAXSQCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saxs-qc",
        abstract: "Recompute the quality control of DIR/saxs.h5: reduced chi2 and Guinier Rg per curve, summary in DIR/qc.json.",
        discussion: """
            Every curve's chi2 (with the model sigma from the stored normalisers) and automatic Guinier fit are \
            recomputed from saxs.h5 and compared with the QC columns of meta.csv; a disagreement fails the command. \
            Runs on one process.
            """)

    @Argument(help: ArgumentHelp("The output directory of a `beamforge saxs` run.", valueName: "DIR"))
    var directory: String

    func run() throws {
        let records: [QualityReport.Record], mismatches: Int
        do {
            (records, mismatches) = try QualityReport.recompute(directory: directory)
        } catch {
            // A missing, unreadable or foreign dataset is bad input.
            FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.badInput)
        }
        do {
            let report = QualityReport(records)
            try report.write(to: directory)
            print(report.summary)
        } catch {
            FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        if mismatches > 0 {
            FileHandle.standardError.write(Data("beamforge: error: \(mismatches) curves' QC differs from \(directory)/meta.csv\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
    }
}
