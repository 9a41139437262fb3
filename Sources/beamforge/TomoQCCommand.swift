import ArgumentParser
import Foundation
import Tomo

/// `beamforge tomo-qc`: reconstruct chosen sinograms of a finished tomo run.
struct TomoQCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tomo-qc",
        abstract: "Reconstruct sinograms of DIR/tomo.h5 by filtered back-projection, clean against striped.",
        discussion: """
            For each chosen item and row, reconstructs the clean sinogram and every striped variant (stripe, or \
            shift00...) with an FFTW ramp filter, writes DIR/qc/<sample>_row<row>_<variant>.tif (uint16, grey \
            levels spanning the clean reconstruction's range) and DIR/tomo_qc.csv with the RMS difference of each \
            variant from clean: the rings the stripes cause. Runs on one process.
            """)

    @Option(name: [.long, .customLong("root")], help: ArgumentHelp("The tomo run's output directory.", valueName: "dir"))
    var out = "beamforge-out"

    @Option(name: .customLong("item"), parsing: .singleValue, help: "Item (0-based) to inspect; repeatable (default 0).")
    var items: [Int] = []

    @Option(name: .customLong("row"), parsing: .singleValue, help: "Detector row to reconstruct; repeatable (default N/2).")
    var rows: [Int] = []

    func run() throws {
        do {
            let slices = try TomoInspection(directory: out).run(items: items.isEmpty ? nil : items,
                                                                 rows: rows.isEmpty ? nil : rows)
            for s in slices {
                print("sample \(s.sample) row \(s.row) \(s.variant): rms from clean " + String(format: "%.4g", s.rmsFromClean))
            }
            print("wrote \(out)/qc/ and \(out)/tomo_qc.csv")
        } catch {
            FileHandle.standardError.write(Data("beamforge: error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
