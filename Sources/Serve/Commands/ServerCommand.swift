import Formats

/// A command of SAXSDog's protocol, authenticated and decoded; what it does is the ``ServeBackend``'s.
public enum ServerCommand: Sendable {
    /// Start a queue with this calibration (SAXSDog's JSON) and one mask attachment per `Masks[i]`; aborts the
    /// queue before it.
    case new(calibration: JSONValue, attachments: [Attachment])
    /// Stop taking new frames; those queued are finished.
    case close
    /// Stop the queue at once.
    case abort
    /// Queue every frame in the queue's directory (again).
    case readdir
    /// The queue's counters.
    case stat
    /// The queue's calibration and attachments.
    case get
    /// The last frame's curves, the counters and their history.
    case plot
    /// The sub-directories of BASEDIR/`path components`.
    case listdir([String])
    /// The result files written so far, by kind.
    case fileslist
    /// A command SAXSDog knows that this server does not do (`mergedata`, …), or an unknown one.
    case unsupported(String)

    /// Decodes an authenticated request; a missing argument gives SAXSDog's reply for it (a KeyError is a
    /// ServerError naming the key; a bad attachment a ValueError).
    public init(_ request: SAXSDogRequest) throws(Refusal) {
        switch request.command {
        case "new":
            guard let calibration = request.argument["calibration"] else {
                throw Refusal(SAXSDogReply.serverError("'calibration'"))
            }
            var attachments: [Attachment] = []
            for (i, frame) in request.attachments.enumerated() { attachments.append(try Attachment(frame: frame, index: i)) }
            self = .new(calibration: calibration, attachments: attachments)
        case "close": self = .close
        case "abort": self = .abort
        case "readdir": self = .readdir
        case "stat": self = .stat
        case "get": self = .get
        case "plot": self = .plot
        case "fileslist": self = .fileslist
        case "listdir":
            guard case .array(let parts)? = request.argument["directory"] else {
                throw Refusal(SAXSDogReply.serverError("'directory'"))
            }
            self = .listdir(parts.compactMap { if case .string(let s) = $0 { s } else { nil } })
        default:
            self = .unsupported(request.command)
        }
    }
}
