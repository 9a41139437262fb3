import Core
import Foundation

extension PtychoQCJob {
    /// Reads every position once, spread over the ranks in ``blockCount(_:)`` fixed blocks: per position its
    /// ``FrameFeatures`` (from its pattern, or as `ptycho-ingest --qc` stored them), per block the PCA sums; then, on every rank alike, the median embedding and each
    /// position's correlation with it, the PCA reconstruction errors, the robust scores and the verdicts.
    public mutating func prepare(_ build: SharedBuild) throws {
        let n = itemCount, blocks = Self.blockCount(n), side = settings.embedSide, d = side * side
        let (rows, columns, frames, valid, staticBad, view) = (rows, columns, frames, valid, staticBad, view)
        let (storedRows, storedColumns, stored) = (storedRows, storedColumns, storedFeatures)
        let validDefault = staticBad.map { $0.map(!) }
        let width = FrameFeatures.storedColumns.count, perPosition = width + d
        let parts = try build.parts(blocks) { part in
            var out: [Double] = [], embeddings: [[Double]] = []
            for p in Partition.block(count: n, parts: blocks, part: part) {
                let f: FrameFeatures
                if let stored {
                    f = FrameFeatures(stored: Array(stored.features[p * width..<(p + 1) * width]),
                                      embedding: Array(stored.embeddings[p * d..<(p + 1) * d]))
                } else {
                    let pattern = view.pattern(try ScanInputs.readFrame(frames, p, rows: storedRows, columns: storedColumns))
                    let mask = try valid.map {
                        view.valid(try ScanInputs.readFrame($0, p, rows: storedRows, columns: storedColumns).map { $0 != 0 })
                    }
                    f = FrameFeatures(pattern: pattern, rows: rows, columns: columns, valid: mask ?? validDefault,
                                      staticBad: staticBad, side: side)
                }
                out += f.stored
                out += f.embedding
                embeddings.append(f.embedding)
            }
            out += PatternPCA.blockSums(embeddings, d: d)
            return out.withUnsafeBytes { Array($0) }
        }
        var raw: [[Double]] = [], embeddings: [[Double]] = [], sums: [[Double]] = []
        for bytes in parts {
            let block = bytes.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            let count = (block.count - d - d * d) / perPosition
            for k in 0..<count {
                let row = Array(block[k * perPosition..<(k + 1) * perPosition])
                raw.append(Array(row.prefix(width)))
                embeddings.append(Array(row.dropFirst(width)))
            }
            sums.append(Array(block.suffix(d + d * d)))
        }
        let pca = PatternPCA(blockSums: sums, n: n, d: d, k: settings.pcaComponents)
        let median = (0..<d).map { i in DetectorResponse.median(embeddings.map { $0[i] }) }
        let (pixelM, distanceM) = (pixelM, distanceM)
        let mrad = { (px: Double) in atan(px * pixelM / distanceM) * 1000 }
        let values = zip(raw, embeddings).map { r, e -> [Double] in
            [r[0], log10(1 + max(r[0], 0)), r[1], r[2], r[4], r[3], mrad(r[4]), mrad(r[3]), r[5], r[6], r[7],
             Self.correlation(e, median), pca.error(e)]
        }
        table = QCTable(values: values, x: x, y: y, settings: settings)
    }

    /// Pearson's correlation of `a` and `b` (0 when either is constant).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var (sab, saa, sbb) = (0.0, 0.0, 0.0)
        for (u, v) in zip(a, b) {
            sab += (u - ma) * (v - mb)
            saa += (u - ma) * (u - ma)
            sbb += (v - mb) * (v - mb)
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }
}
