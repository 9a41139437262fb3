import Foundation

/// ATSAS three-column curve files (`.dat`): a title line, a column header, then q, I and error per line.
/// ATSAS programs (primus, autorg, datgnom) skip lines that do not start with three numbers.
public enum DatFile {
    /// The file's text: `title` on one line, the header `q(1/A) I(1/cm) Err(1/cm)`, then q, I and error per point
    /// in `%.8e`. The three arrays must have the same length.
    public static func text(q: [Double], intensity: [Double], sigma: [Double], title: String) -> String {
        precondition(q.count == intensity.count && q.count == sigma.count)
        var out = title.replacingOccurrences(of: "\n", with: " ") + "\n"
        out += "q(1/A) I(1/cm) Err(1/cm)\n"
        out.reserveCapacity(out.utf8.count + 48 * q.count)
        for i in 0..<q.count {
            out += String(format: "%.8e %.8e %.8e\n", q[i], intensity[i], sigma[i])
        }
        return out
    }
}
