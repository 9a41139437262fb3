import Core

extension DetectorResponse {
    /// The grids' placement and the pixels grouped by bin, from which the levels are built.
    struct LevelPlan: Sendable {
        /// Pixel indices sorted by bin (then index).
        var order: [Int]
        var sigma: Double
        var start: Double
        /// The coarsest grid's step: the narrowest bin.
        var coarsest: Double
        var intervals: Int
    }

    /// Rows per part of a shared build: small enough to spread the finest level's smearing rows over many ranks.
    static let rowsPerPart = 256

    /// Builds the ``levels``: per level, the pinhole smearing matrix (a row per grid node) and the binning matrix
    /// (a row per bin), each row independent of the others, so `build` may spread them over processes; the
    /// result is bit-identical to a serial build.
    /// - Important: Collective when `build` is shared.
    public mutating func buildLevels(_ build: SharedBuild) {
        guard let plan = levelPlan else { return }
        var levels: [Level] = []
        for level in 0..<Self.levelCount {
            let grid = UniformGrid(start: plan.start, step: plan.coarsest / Double(1 << level),
                                   count: plan.intervals << level + 1)
            let nodes = grid.nodes
            var smearing = SparseMatrix(columnCount: grid.count)
            let smearingParts = (nodes.count + Self.rowsPerPart - 1) / Self.rowsPerPart
            for part in build.parts(smearingParts, { part in
                let rows = nodes[part * Self.rowsPerPart..<min(nodes.count, (part + 1) * Self.rowsPerPart)]
                return PinholeResolution.matrix(targets: rows, sigma: plan.sigma, grid: grid).encoded()
            }) {
                smearing.appendRows(encoded: part)
            }
            var pixelsToGrid = SparseMatrix(columnCount: grid.count)
            for part in build.parts(build.processes, { part in
                binning(bins: Partition.block(count: q.count, parts: build.processes, part: part), grid: grid,
                        order: plan.order).encoded()
            }) {
                pixelsToGrid.appendRows(encoded: part)
            }
            levels.append(Level(grid: grid, smearing: smearing, binning: pixelsToGrid.multiplied(by: smearing)))
        }
        self.levels = levels
        levelPlan = nil
    }

    /// Rows `bins` of the map from grid values to per-bin sums Σ_j ΔΩ_j·Ĩ(q_j) over the bin's pixels (four-point
    /// Lagrange interpolation Ĩ).
    private func binning(bins: Range<Int>, grid: UniformGrid, order: [Int]) -> SparseMatrix {
        var matrix = SparseMatrix(columnCount: grid.count)
        var dense = [Double](repeating: 0, count: grid.count)
        // The first pixel of the first bin: pixels are sorted by bin.
        var k = 0, low = 0, high = order.count
        while low < high {
            let mid = (low + high) / 2
            if Int(pixelBin[order[mid]]) < bins.lowerBound { low = mid + 1 } else { high = mid }
        }
        k = low
        for bin in bins {
            var lower = Int.max, upper = 0
            while k < order.count, Int(pixelBin[order[k]]) == bin {
                let j = order[k]
                let (first, w) = grid.stencil(at: pixelQ[j])
                for m in 0..<4 { dense[first + m] += pixelSolidAngle[j] * w[m] }
                lower = min(lower, first)
                upper = max(upper, first + 4)
                k += 1
            }
            matrix.appendRow(&dense, from: lower, to: upper)
        }
        return matrix
    }
}
