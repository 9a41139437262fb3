import Formats

extension IntegrateJob {
    /// The same job over other frames of the same size, keeping the matrices already built (watch mode hands out
    /// new frames every epoch; the matrices, most of the set-up, are built once).
    /// - Throws: what ``init(calibration:inputs:options:matrices:)`` throws for these inputs.
    public func replacingInputs(_ inputs: FrameInputs) throws -> IntegrateJob {
        var job = try IntegrateJob(calibration: calibration, inputs: inputs, options: options, matrices: nil)
        job.matrices = matrices
        return job
    }
}
