import Formats

/// What the server does with each authenticated command: the program implements it (the queue, integration and
/// files live above this module). Transports (the ZeroMQ endpoint today, HTTP later) call it from their own
/// threads, one command at a time per transport; it returns SAXSDog's reply object.
public protocol ServeBackend: Sendable {
    func perform(_ command: ServerCommand) -> JSONValue
}
