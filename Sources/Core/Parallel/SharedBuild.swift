/// Set-up work a run does once rather than on every process: `count` independent parts (rows of a matrix, say),
/// each built by one process and given to all. The parts are exchanged as bytes, so a part built anywhere is
/// bit-identical to one built here. Jobs receive the run's in `Job.prepare(_:)`; ``serial`` builds every part here.
public struct SharedBuild: Sendable {
    /// Builds parts `0..<count` with `part`, spread over the processes, and returns every part, in order.
    public typealias Strategy = @Sendable (_ count: Int, _ part: (Int) throws -> [UInt8]) throws -> [[UInt8]]

    private let strategy: Strategy
    /// The number of processes sharing the work (1 for ``serial``).
    public let processes: Int

    public init(processes: Int, _ strategy: @escaping Strategy) {
        self.processes = processes
        self.strategy = strategy
    }

    /// Every part built by this process.
    public static let serial = SharedBuild(processes: 1) { count, part in try (0..<count).map(part) }

    /// Parts `0..<count`, each built by `part(i)` on one process (it must depend on `i` alone) and returned to all,
    /// in order.
    /// - Important: Collective when shared: every process calls it with the same `count`.
    public func parts(_ count: Int, _ part: (Int) throws -> [UInt8]) throws -> [[UInt8]] {
        try strategy(count, part)
    }

    /// ``parts(_:_:)`` for parts that cannot fail.
    public func parts(_ count: Int, _ part: (Int) -> [UInt8]) -> [[UInt8]] {
        do { return try strategy(count, part) } catch { preconditionFailure("a part that cannot fail failed: \(error)") }
    }
}
