extension StripeMask {
    /// The planes one mask computation works in, allocated once per call; row y's |G| and candidates sit in ring
    /// slots y mod the ring size. The candidate ring holds one row more than the depth window, so that the window's
    /// counts can slide from row to row.
    final class Workspace {
        let angles: Int, columns: Int, settings: StripeMaskSettings
        let plane: Int, gradientSlots: Int, candidateSlots: Int
        let gradients: UnsafeMutablePointer<Float>
        let candidates: UnsafeMutablePointer<UInt8>
        /// Weights at or below the threshold; the mask being merged.
        let below: UnsafeMutablePointer<UInt8>, mask: UnsafeMutablePointer<UInt8>
        /// Prefix sums along angles ((angles + 1) × columns) and along columns (angles × (columns + 1)).
        let anglePrefix: UnsafeMutablePointer<Int32>, columnPrefix: UnsafeMutablePointer<Int32>
        /// Candidates within the depth window of row `countedRow` (nil: none counted yet, or mirrored there).
        let depthCounts: UnsafeMutablePointer<UInt16>
        var countedRow: Int?
        /// One angle line each: the plate and side sums, and window counts.
        let plate: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, left: UnsafeMutablePointer<Float>
        let windowCounts: UnsafeMutablePointer<Int32>

        init(angles: Int, columns: Int, settings: StripeMaskSettings) {
            (self.angles, self.columns, self.settings) = (angles, columns, settings)
            plane = angles * columns
            gradientSlots = 2 * settings.radius + 1
            candidateSlots = 2 * (settings.minDepth / 2) + 2
            func zeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: count)
                p.initialize(repeating: 0, count: count)
                return p
            }
            gradients = zeros(gradientSlots * plane)
            candidates = zeros(candidateSlots * plane)
            below = zeros(plane)
            mask = zeros(plane)
            anglePrefix = zeros((angles + 1) * columns)
            columnPrefix = zeros(angles * (columns + 1))
            depthCounts = zeros(plane)
            plate = zeros(columns)
            right = zeros(columns)
            left = zeros(columns)
            windowCounts = zeros(columns)
        }

        deinit {
            for p in [gradients, plate, right, left] as [UnsafeMutablePointer<Float>] { p.deallocate() }
            for p in [candidates, below, mask] { p.deallocate() }
            for p in [anglePrefix, columnPrefix, windowCounts] { p.deallocate() }
            depthCounts.deallocate()
        }

        /// |G| of global row `row`: |in[i+2] − in[i]|, or |in[i−2] − in[i]| for the last two columns.
        func storeGradient(row: Int, _ sinogram: Sinogram) {
            let (A, X) = (angles, columns)
            let base = gradients + row % gradientSlots * plane
            sinogram(row) { line in
                for k in 0..<A {
                    line(k) { values in
                        precondition(values.count == X, "a sinogram line of the wrong size")
                        values.withUnsafeBufferPointer { values in
                            let v = values.baseAddress!, out = base + k * X
                            let ahead = v + 2, behind = v - 2
                            for i in 0..<X - 2 { out[i] = abs(ahead[i] - v[i]) }
                            for i in X - 2..<X { out[i] = abs(behind[i] - v[i]) }
                        }
                    }
                }
            }
        }

        /// The candidates of global row `c` (the median of its weights along angles ≤ threshold), from the |G| of
        /// rows c ± r.
        func storeCandidates(row c: Int, totalRows: Int) {
            let (A, X, r) = (angles, columns, settings.radius)
            let threshold = settings.threshold, size = Int32(settings.size)
            let platePixels = Float((2 * r + 1) * (2 * r + 1)), sidePixels = Float(r * 3)
            let (plate, right, left) = (plate, right, left)
            /// Global row y's |G| plane.
            func rowPlane(_ y: Int) -> UnsafePointer<Float> { UnsafePointer(gradients + y % gradientSlots * plane) }
            var plateLines = [UnsafePointer<Float>](repeating: gradients, count: (2 * r + 1) * (2 * r + 1))
            for k in 0..<A {
                right.update(repeating: 0, count: X)
                left.update(repeating: 0, count: X)
                var n = 0
                for jm in -r...r {
                    let source = rowPlane(mirrored(c, jm, totalRows))
                    for km in -r...r {
                        plateLines[n] = source + mirrored(k, km, A) * X
                        n += 1
                    }
                }
                plateLines.withUnsafeBufferPointer { sumLines($0, count: X, into: plate) }
                for jm in -1...1 {
                    let line = rowPlane(mirrored(c, jm, totalRows)) + k * X
                    // Columns past either edge mirror about the voxel (i − m for i + m outside).
                    // (Shifted pointers, not i ± m, keep the index arithmetic free of overflow checks: vectorised.)
                    for m in 1...r {
                        let ahead = line + m, behind = line - m
                        for i in 0..<X - m { right[i] += ahead[i] }
                        for i in X - m..<X { right[i] += behind[i] }
                    }
                    for m in 1...r {
                        let ahead = line + m, behind = line - m
                        for i in 0..<m { left[i] += ahead[i] }
                        for i in m..<X { left[i] += behind[i] }
                    }
                }
                let out = below + k * X
                for i in 0..<X {
                    let p = plate[i] / platePixels, h1 = right[i] / sidePixels, h2 = left[i] / sidePixels
                    out[i] = min(ratio(p, h1), ratio(p, h2)) <= threshold ? 1 : 0
                }
            }
            // sorted[size − 1] ≤ t ⇔ at least `size` values ≤ t.
            let base = candidates + c % candidateSlots * plane
            countAlongAngles(below, half: settings.size) { k, n in
                let out = base + k * X
                for i in 0..<X { out[i] = n[i] >= size ? 1 : 0 }
            }
        }

        /// The merged mask of global row `j` (its candidates and those within ±depth/2 rows stored, and those of
        /// row j − depth/2 − 1 when row j − 1 was merged before), written to the plane `out`.
        func merge(row j: Int, totalRows: Int, into out: UnsafeMutablePointer<UInt8>) {
            let (plane, mask) = (plane, mask)
            let halfDepth = settings.minDepth / 2
            let sensitivity = 0.01 * settings.sensitivity
            let depthLimit = UInt16(clamping: Int(sensitivity * Float(settings.minDepth)))
            let lengthLimit = Int(sensitivity * Float(settings.minLength))
            let halfLength = settings.minLength / 2
            func candidates(_ y: Int) -> UnsafePointer<UInt8> {
                UnsafePointer(self.candidates + y % candidateSlots * plane)
            }
            mask.update(from: candidates(j), count: plane)
            if settings.minDepth != 0 {
                let n = depthCounts
                let unmirrored = j - halfDepth >= 0 && j + halfDepth < totalRows
                if unmirrored && countedRow == j - 1 {
                    // The window slides by a row: exact, the counts are integers.
                    let entering = candidates(j + halfDepth), leaving = candidates(j - halfDepth - 1)
                    for p in 0..<plane { n[p] = n[p] &+ UInt16(entering[p]) &- UInt16(leaving[p]) }
                } else {
                    n.update(repeating: 0, count: plane)
                    for d in -halfDepth...halfDepth {
                        let other = candidates(mirrored(j, d, totalRows))
                        for p in 0..<plane { n[p] &+= UInt16(other[p]) }
                    }
                }
                countedRow = unmirrored ? j : nil
                for p in 0..<plane { mask[p] = n[p] > depthLimit ? 0 : mask[p] }
            }
            var any: UInt8 = 0
            for p in 0..<plane { any |= mask[p] }
            if any != 0 {
                clearShort(half: halfLength, below: lengthLimit)
                clearShort(half: halfLength, below: halfLength)
                for _ in 0..<settings.minWidth {
                    if !mergeGaps() { break }  // a pass that changes nothing would repeat itself
                }
            }
            out.update(from: mask, count: plane)
        }

        /// Clears set voxels of the mask with fewer than `minimum` set voxels within ±`half` angles (the length
        /// rules). Every count comes from prefix sums taken before the first voxel is cleared.
        func clearShort(half: Int, below minimum: Int) {
            let (X, mask, minimum) = (columns, mask, Int32(minimum))
            countAlongAngles(mask, half: half) { k, n in
                let line = mask + k * X
                for i in 0..<X { line[i] = n[i] < minimum ? 0 : line[i] }
            }
        }

        /// Calls `body(k, n)` for every angle k, n[i] the number of set values of column i of `values` (a plane)
        /// within angles k ± `half`, mirrored about k at the ends.
        func countAlongAngles(_ values: UnsafePointer<UInt8>, half: Int,
                              _ body: (_ k: Int, _ n: UnsafePointer<Int32>) -> Void) {
            StripeMask.countAlongAngles(values, angles: angles, columns: columns, half: half, prefix: anglePrefix,
                                        counts: windowCounts, body)
        }

        /// One merging pass of rule (4) over the mask: a zero voxel becomes 1 when set voxels lie on both sides
        /// within ±width/2 columns, or else on both sides within ±2·width angles (each side includes the voxel
        /// itself, mirrored at the ends). Whether any voxel changed.
        func mergeGaps() -> Bool {
            let (A, X, m) = (angles, columns, mask)
            let halfWidth = settings.minWidth / 2, reach = 2 * settings.minWidth
            let (along, across) = (anglePrefix, columnPrefix)
            // Prefix sums of the mask before this pass: along angles per column, along columns per angle.
            along.update(repeating: 0, count: X)
            for k in 0..<A {
                let line = m + k * X, before = along + k * X, after = before + X
                for i in 0..<X { after[i] = before[i] &+ Int32(line[i]) }
                let sums = across + k * (X + 1)
                sums[0] = 0
                for i in 0..<X { sums[i + 1] = sums[i] &+ Int32(line[i]) }
            }
            // A voxel set in this pass is read once, before it is set; the sums hold the previous pass.
            var changed = false
            for k in 0..<A {
                let line = m + k * X, sums = across + k * (X + 1)
                let inRow: (Int, Int) -> Int32 = { a, b in sums[b + 1] - sums[a] }
                for i in 0..<X where line[i] == 0 {
                    let inColumn: (Int, Int) -> Int32 = { a, b in along[(b + 1) * X + i] - along[a * X + i] }
                    if anySet(i, -halfWidth...0, X, inRow) && anySet(i, 0...halfWidth, X, inRow)
                        || anySet(k, -reach...0, A, inColumn) && anySet(k, 0...reach, A, inColumn) {
                        line[i] = 1
                        changed = true
                    }
                }
            }
            return changed
        }
    }
}
