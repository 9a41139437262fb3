/// A failed or refused run.
public struct BatchError: Error, CustomStringConvertible, Sendable {
    /// What failed; the CLI exits with a failure status for `.io` and a bad-input status otherwise.
    public enum Kind: Sendable, Equatable {
        /// The output location cannot be used (exists, not writable, not a directory, ...).
        case output
        /// `--resume` of a file made with another configuration or job.
        case resumeMismatch
        /// `--resume` of a `.partial` file or metadata spool that is damaged (unreadable, inconsistent).
        case damaged
        /// The launch is inconsistent (e.g. N singletons under srun).
        case launch
        /// An item could not be produced.
        case item(Int)
        /// Reading or writing an output failed.
        case io
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// One line naming the file, dataset, rank or item at fault.
    public let message: String
    /// True when every rank raised this error together (then the run may end without MPI_Abort).
    public let isAgreed: Bool

    /// An error of `kind` saying `message`; `agreed` tells whether every rank raises it together.
    public init(_ kind: Kind, _ message: String, agreed: Bool) {
        self.kind = kind
        self.message = message
        self.isAgreed = agreed
    }

    /// The message.
    public var description: String { message }
}
