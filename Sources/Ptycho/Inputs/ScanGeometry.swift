/// What a scan's metadata say, in the units the output stores: positions per frame (m), energy (eV), detector
/// distance (m), pixel size (m) and exposure per frame (s) when known.
public struct ScanGeometry: Sendable {
    /// Stage positions per frame, metres.
    public var x: [Double]
    public var y: [Double]
    public var energyEV: Double
    public var distanceM: Double
    public var pixelM: Double
    /// Exposure per frame, seconds; nil when the input does not say.
    public var exposureS: [Double]?

    public init(x: [Double], y: [Double], energyEV: Double, distanceM: Double, pixelM: Double, exposureS: [Double]?) {
        self.x = x
        self.y = y
        self.energyEV = energyEV
        self.distanceM = distanceM
        self.pixelM = pixelM
        self.exposureS = exposureS
    }
}
