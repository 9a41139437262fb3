import Formats
import Foundation

/// A Fit2D `.msk` file's bytes through `Fit2DMask(data:)`, and a parsed mask written back and read again (it must
/// survive the round trip unchanged).
enum MaskFuzzing {
    static func run(_ data: Data) {
        guard let mask = try? Fit2DMask(data: data) else { return }
        guard let again = try? Fit2DMask(data: mask.data), again == mask else {
            fatalError("a parsed mask does not survive writing and reading")
        }
    }
}
