import Core
import Foundation

extension IntegrationMatrix {
    /// The azimuthal profiles I(χ) of several q bands in one matrix: bin `b·chiBins + k` is band b's χ bin k,
    /// χ from −180° + k·δχ to −180° + (k + 1)·δχ (centres in `centers`, degrees, repeated per band).
    ///
    /// Exact pixel splitting (pyFAI's "full"): a pixel's corners span a quadrilateral in (χ, q); it is clipped to
    /// the band (Sutherland–Hodgman against q = lower and q = upper) and what remains is shared among χ bins by
    /// area (``areaShares(u:v:into:)``); each weight is that area over the whole quadrilateral's. χ is periodic:
    /// the corners are unwrapped around the first, so a pixel across ±180° is shared between the last and first
    /// bins (no seam). A pixel holding the beam centre (where χ turns all the way round) is left out.
    /// - Parameters:
    ///   - valid: per pixel, row-major, false where masked; nil for none.
    ///   - solidAngle: divide each pixel by its relative solid angle (``OrientGeometry/solidAngle(row:column:)``).
    init(bands: [QBand], chiBins: Int, geometry: OrientGeometry, valid: [Bool]?, solidAngle: Bool,
         build: SharedBuild = .serial) {
        let rows = geometry.poni.rows, columns = geometry.poni.columns
        let plan = ChiBandPlan(bands: bands, chiBins: chiBins, geometry: geometry, valid: valid)
        let blocks = 4 * build.processes
        var triplets = MatrixPlan.Triplets()
        for part in build.parts(blocks, { part in
            plan.triplets(pixelRows: Partition.block(count: rows, parts: blocks, part: part)).bytes
        }) {
            triplets.append(MatrixPlan.Triplets(part))
        }
        var correction: [Float]? = nil
        if solidAngle {
            var factors = [Float](repeating: 1, count: rows * columns)
            for i in 0..<rows {
                for j in 0..<columns {
                    factors[i * columns + j] = Float(1 / geometry.solidAngle(row: Double(i) + 0.5,
                                                                             column: Double(j) + 0.5))
                }
            }
            correction = factors
        }
        let width = 360 / Double(chiBins)
        let chi = (0..<chiBins).map { -180 + (Double($0) + 0.5) * width }
        self.init(axis: .azimuthal, rows: rows, columns: columns, centers: Array(repeating: chi, count: bands.count).flatMap { $0 },
                  scale: 1 / width, triplets: (triplets.pixel, triplets.bin, triplets.weight), weightScale: 1,
                  correction: correction)
    }

    /// Σ of the split weights of each bin (pixels of the bin, before frame-by-frame masking).
    var pixelsPerBin: [Double] { weightSum }
}

/// The pass over pixel rows that builds ``IntegrationMatrix/init(bands:chiBins:geometry:valid:solidAngle:build:)``.
struct ChiBandPlan {
    let bands: [QBand]
    let chiBins: Int
    let geometry: OrientGeometry
    let scattering: ScatteringGeometry
    let valid: [Bool]?

    init(bands: [QBand], chiBins: Int, geometry: OrientGeometry, valid: [Bool]?) {
        self.bands = bands
        self.chiBins = chiBins
        self.geometry = geometry
        scattering = ScatteringGeometry(.poni(geometry.poni))
        self.valid = valid
    }

    /// (pixel, bin, weight) of `pixelRows`, in pixel order.
    func triplets(pixelRows: Range<Int>) -> MatrixPlan.Triplets {
        var out = MatrixPlan.Triplets()
        out.maxBin = bands.count * chiBins - 1
        guard !pixelRows.isEmpty else { return out }
        let columns = geometry.poni.columns
        let first = pixelRows.lowerBound
        // Corner values of these rows: q (Å⁻¹) and χ in bin units shifted by one period (all positive).
        var cornerQ = [Double](repeating: 0, count: (pixelRows.count + 1) * (columns + 1))
        var cornerChi = cornerQ
        let perRadian = Double(chiBins) / (2 * .pi)
        for i in first...pixelRows.upperBound {
            for j in 0...columns {
                let a = scattering.angles(row: Double(i), column: Double(j))
                cornerQ[(i - first) * (columns + 1) + j] = geometry.q(twoTheta: a.twoTheta)
                cornerChi[(i - first) * (columns + 1) + j] = a.azimuth
            }
        }
        let centre = scattering.beamCenterPixels
        var shares: [(bin: Int, fraction: Double)] = []
        for i in pixelRows {
            for j in 0..<columns where valid?[i * columns + j] ?? true {
                if Double(i) <= centre.row && centre.row < Double(i + 1) && Double(j) <= centre.column
                    && centre.column < Double(j + 1) { continue }
                let r = i - first
                let corners = [r * (columns + 1) + j, r * (columns + 1) + j + 1,
                               (r + 1) * (columns + 1) + j + 1, (r + 1) * (columns + 1) + j]
                let q = corners.map { cornerQ[$0] }
                let (qMin, qMax) = (q.min()!, q.max()!)
                guard bands.contains(where: { $0.lower < qMax && $0.upper > qMin }) else { continue }
                // χ unwrapped around the first corner, in bin units from −180° plus one period.
                let chi0 = cornerChi[corners[0]]
                let u = corners.map { (chi0 + remainder(cornerChi[$0] - chi0, 2 * .pi) + .pi) * perRadian + Double(chiBins) }
                let whole = Self.area(u: u, v: q)
                guard whole > 0 else { continue }
                for (b, band) in bands.enumerated() where band.lower < qMax && band.upper > qMin {
                    var polygon = Array(zip(u, q))
                    polygon = Self.clip(polygon, keepAbove: true, band.lower)
                    polygon = Self.clip(polygon, keepAbove: false, band.upper)
                    guard polygon.count >= 3 else { continue }
                    let (pu, pv) = (polygon.map(\.0), polygon.map(\.1))
                    let inside = Self.area(u: pu, v: pv)
                    guard inside > 0 else { continue }
                    shares.removeAll(keepingCapacity: true)
                    guard IntegrationMatrix.areaShares(u: pu, v: pv, into: &shares) else { continue }
                    for share in shares {
                        out.pixel.append(Int32(i * columns + j))
                        out.bin.append(Int32(b * chiBins + share.bin % chiBins))
                        out.weight.append(Float(share.fraction * inside / whole))
                    }
                }
            }
        }
        return out
    }

    /// The absolute area of a polygon (shoelace formula).
    static func area(u: [Double], v: [Double]) -> Double {
        var twice = 0.0
        for e in u.indices {
            let next = (e + 1) % u.count
            twice += u[e] * v[next] - u[next] * v[e]
        }
        return abs(twice) / 2
    }

    /// The part of a polygon (vertices (u, v)) with v ≥ `limit` (`keepAbove`) or v ≤ `limit`: one Sutherland–Hodgman
    /// step against a line of constant v.
    static func clip(_ polygon: [(Double, Double)], keepAbove: Bool, _ limit: Double) -> [(Double, Double)] {
        func inside(_ p: (Double, Double)) -> Bool { keepAbove ? p.1 >= limit : p.1 <= limit }
        var out: [(Double, Double)] = []
        for e in polygon.indices {
            let a = polygon[e], b = polygon[(e + 1) % polygon.count]
            if inside(a) { out.append(a) }
            if inside(a) != inside(b) {
                let t = (limit - a.1) / (b.1 - a.1)
                out.append((a.0 + t * (b.0 - a.0), limit))
            }
        }
        return out
    }
}
