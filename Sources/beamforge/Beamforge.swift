import ArgumentParser
import Core
import Foundation
import POSIX

/// The `beamforge` command: one subcommand per workload.
@main
struct Beamforge: ParsableCommand {
    /// The release, with the commit of an installed build (`0.1.0 (commit 101a705c1f2e)`); stored in every output.
    static let version = BuildInfo.commit.map { "0.1.0 (commit \($0))" } ?? "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "beamforge",
        abstract: "MPI batch framework for X-ray beamline data.",
        discussion: """
            Ranks split an index space (SAXS curves, ...), write collectively into one parallel HDF5 file, and \
            rank 0 writes the metadata CSV and global statistics. Run under mpirun or srun; a plain process \
            is a one-rank run.
            """,
        version: version,
        subcommands: [SAXSCommand.self, SAXSQCCommand.self, SAXSModelCommand.self, IntegrateCommand.self, OrientCommand.self,
                      TomoCommand.self, TomoQCCommand.self, StackCommand.self, MaskCommand.self, PtychoIngestCommand.self,
                      PtychoQCCommand.self, ReportCommand.self, ConvertCommand.self, PlotCommand.self, MergeCommand.self,
                      ServeCommand.self, LeashCommand.self, FeederCommand.self, NetconfCommand.self])

    /// Parses and runs the subcommand. A command line the parser refuses (an unknown flag, a missing or malformed
    /// value) is reported as one line, `beamforge: error: …`, with exit status 2 like every bad input; help and
    /// version keep the parser's output.
    static func main() {
        do {
            var command = try parseAsRoot(CommandLineValues.joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let line = message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
            if Launch.launcherRank == 0 { FileHandle.standardError.write(Data("beamforge: error: \(line)\n".utf8)) }
            Foundation.exit(ExitStatus.badInput)
        }
    }
}
