import Core
import Foundation

/// Text through `CSV.parse` (meta.csv and the metadata spool as `--resume` reads them back), and rows written by
/// `CSV.row` parsed again: every parsed row of two or more fields (meta.csv has a dozen columns) must come back field
/// for field. (A row of one empty field is written as an empty line, which reads as no row.)
enum CSVFuzzing {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let rows = try? CSV.parse(text) else { return }
        for row in rows.prefix(8) where row.count >= 2 {
            guard let again = try? CSV.parse(CSV.row(row)), again == [row] else {
                fatalError("a parsed row does not survive writing and parsing: \(row)")
            }
        }
    }
}
