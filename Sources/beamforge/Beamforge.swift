import ArgumentParser
import Core

/// The `beamforge` command: one subcommand per workload.
@main
struct Beamforge: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "beamforge",
        abstract: "MPI batch framework for X-ray beamline data.",
        discussion: """
            Ranks split an index space (SAXS curves, ...), write collectively into one parallel HDF5 file, and \
            rank 0 writes the metadata CSV and global statistics. Run under mpirun or srun; a plain process \
            is a one-rank run.
            """,
        version: version,
        subcommands: [SAXSCommand.self, SAXSQCCommand.self, SAXSModelCommand.self, IntegrateCommand.self,
                      TomoCommand.self, TomoQCCommand.self, StackCommand.self, MaskCommand.self, ReportCommand.self])
}
