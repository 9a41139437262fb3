import Core

/// The random streams of one sample, each keyed by (run seed, sample number, purpose, shift, index), so that
/// every projection, flat and sinogram row has its own independent, reproducible numbers whichever rank computes it.
enum RandomPurpose: UInt32 {
    case phantom = 1
    case stripes = 2        // index: detector row
    case beamSpeckle = 3
    case defectSpeckle = 4  // index: defect map
    case flat = 5           // index: flat field
    case measurement = 6    // index: projection angle
    case response = 7       // shift, index: projection angle

    /// Indices and shifts must fit their fields of the stream id.
    static let maxIndex = 1 << 16
    static let maxShift = 1 << 8
}

extension RandomStream {
    /// The stream of `purpose` for `sample`: stream id = purpose << 24 | shift << 16 | index.
    init(seed: UInt64, sample: Int, _ purpose: RandomPurpose, shift: Int = 0, index: Int = 0) {
        precondition(index < RandomPurpose.maxIndex && shift < RandomPurpose.maxShift, "random key out of range")
        self.init(seed: seed, item: sample, stream: purpose.rawValue << 24 | UInt32(shift) << 16 | UInt32(index))
    }
}

