import CMPI
import Synchronization

/// Start-up and shut-down of the MPI library for this process.
///
/// MPI is initialised once per process with `MPI_THREAD_FUNNELED`: only the main thread makes MPI (and HDF5)
/// calls. It works under `mpirun`, under `srun`, and in a plain process (an MPI singleton of size 1).
public enum MPIRuntime {
    /// Initialises MPI if needed and returns the world communicator.
    ///
    /// Calling it again returns the same communicator; MPI cannot be re-initialised after ``finalize()``.
    public static func start() -> Communicator {
        // Once per process, even when two threads ask at the same time (test suites do).
        startLock.withLock { _ in
            var initialized: Int32 = 0
            MPI_Initialized(&initialized)
            if initialized == 0 {
                var provided: Int32 = 0
                MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided)
            }
        }
        return Communicator(handle: MPI_COMM_WORLD)
    }

    private static let startLock = Mutex(())

    /// Whether `MPI_Init` has run in this process.
    public static var isInitialized: Bool {
        var flag: Int32 = 0
        MPI_Initialized(&flag)
        return flag != 0
    }

    /// Finalises MPI. Call it on the success path only, on every rank: a rank that finalises while another is
    /// still in a collective deadlocks the job. Error paths call ``Communicator/abort(code:)`` instead.
    public static func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 && isInitialized { MPI_Finalize() }
    }

    /// Seconds on MPI's wall clock (`MPI_Wtime`).
    public static func wallTime() -> Double { MPI_Wtime() }

    /// Detects a launcher that started N independent singletons instead of one N-rank job (a misconfigured
    /// `srun` without PMIx support, open-mpi/ompi#13523).
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - worldSize: `MPI_Comm_size` of the world communicator.
    /// - Returns: a message describing the mismatch, or nil when the launch looks consistent.
    public static func launchMismatch(environment: [String: String], worldSize: Int) -> String? {
        guard worldSize == 1 else { return nil }
        for key in ["SLURM_NTASKS", "OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            if let text = environment[key], let tasks = Int(text), tasks > 1 {
                return "\(key)=\(tasks) but the MPI world has size 1: the launcher started independent "
                    + "singletons. Launch with mpirun inside the allocation, or srun --mpi=pmix."
            }
        }
        return nil
    }
}
