import Core
import Foundation
import HDF5

/// One 2-D scattering image I(Qx, Qy) on the detector's pixels (rows × columns, row-major) for SasView: the
/// NIST 4-column ASCII (``nistText``) and 2-D NXcanSAS (``NXcanSAS/write(_:to:)-(SASImage,_)``).
public struct SASImage: Sendable {
    public var title: String, run: String
    public var rows: Int, columns: Int
    /// Per pixel, 1/Å.
    public var qx: [Double], qy: [Double]
    /// Per pixel, in `intensityUnits`, with its standard uncertainty.
    public var intensity: [Double], uncertainty: [Double]
    /// Per pixel, true where the pixel is left out.
    public var masked: [Bool]
    public var intensityUnits = "arbitrary"
    /// Å and m.
    public var wavelength: Double?, distance: Double?
    public var sampleName: String
    public var processName: String, processDate: String, processDescription: String

    public init(title: String, run: String, rows: Int, columns: Int, qx: [Double], qy: [Double], intensity: [Double],
                uncertainty: [Double], masked: [Bool], wavelength: Double?, distance: Double?, sampleName: String,
                processName: String, processDate: String, processDescription: String) {
        (self.title, self.run, self.rows, self.columns) = (title, run, rows, columns)
        (self.qx, self.qy, self.intensity, self.uncertainty, self.masked) = (qx, qy, intensity, uncertainty, masked)
        (self.wavelength, self.distance, self.sampleName) = (wavelength, distance, sampleName)
        (self.processName, self.processDate, self.processDescription) = (processName, processDate, processDescription)
    }

    /// Per pixel, |q|'s component along the beam (1/Å), for the ASCII's Qz column.
    public var qz: [Double]?

    /// The NIST 2-D ASCII that SasView's `red2d_reader` loads (Mantid `SaveNISTDAT`'s header): the lines
    /// `Data columns Qx - Qy - I(Qx,Qy) - err(I) - Qz - dQx - dQy - shadow - mask` and `ASCII data`, then one line
    /// per pixel in row-major order, `%.9e`: the NIST four columns Qx, Qy (1/Å), I, err, then red2d's optional
    /// columns Qz (1/Å; 0 without ``qz``), dQx = dQy = 0 (no resolution), the shadow factor 1 and the mask (1 = left
    /// out). Every pixel is written because red2d_reader rebuilds the rectangular grid from the Q values (it
    /// cannot load a grid with holes); a masked pixel's I and err are written as 0, never NaN.
    public var nistText: String {
        var text = "Data columns Qx - Qy - I(Qx,Qy) - err(I) - Qz - dQx - dQy - shadow - mask\nASCII data\n"
        text.reserveCapacity(150 * intensity.count)
        for p in intensity.indices {
            let (i, e) = masked[p] ? (0.0, 0.0) : (intensity[p], uncertainty[p])
            text += String(format: "%.9e %.9e %.9e %.9e %.9e 0 0 1 %d\n", qx[p], qy[p], i, e, qz?[p] ?? 0,
                           masked[p] ? 1 : 0)
        }
        return text
    }
}

extension NXcanSAS {
    /// Writes `image` as a single-entry 2-D NXcanSAS file at `path` (replacing it): `sasdata01` holds `I` and
    /// `Idev` (rows × columns), `Q` (2 × rows × columns: Qx then Qy, 1/Å) with `I_axes = "Q,Q"`,
    /// `Q_indices = [0, 1]`, and `Mask` (int8, 1 = left out; the group's `mask` attribute names it).
    /// - Throws: ``FormatError`` naming the file when the arrays disagree in size or HDF5 fails.
    public static func write(_ image: SASImage, to path: String) throws {
        let n = image.rows * image.columns
        guard [image.qx, image.qy, image.intensity, image.uncertainty].allSatisfy({ $0.count == n }),
              image.masked.count == n else {
            throw FormatError(file: path, message: "Qx, Qy, I, Idev and the mask must have rows × columns values")
        }
        do {
            let file = try File.create(path)
            defer { try? file.close() }
            let (entry, data) = try openEntry(file, title: image.title, run: image.run, creator: image.processName)
            try file.setAttribute("signal", .string("I"), on: data)
            try file.setAttribute("I_axes", .strings(["Q", "Q"]), on: data)
            try file.setAttribute("Q_indices", .ints([0, 1]), on: data)
            try file.setAttribute("mask", .string("Mask"), on: data)
            let shape = [image.rows, image.columns]
            try field(file, data + "/Q", image.qx + image.qy, shape: [2] + shape, units: "1/angstrom")
            try field(file, data + "/I", image.intensity, shape: shape, units: image.intensityUnits,
                      extra: ["uncertainties": "Idev"])
            try field(file, data + "/Idev", image.uncertainty, shape: shape, units: image.intensityUnits)
            let mask = try file.createDataset(data + "/Mask", type: .int8, shape: shape)
            try mask.write(image.masked.map { Int8($0 ? 1 : 0) }, rows: [0..<image.rows])
            var description = EntryDescription(title: image.title)
            (description.wavelength, description.distance, description.sampleName) =
                (image.wavelength, image.distance, image.sampleName)
            (description.processName, description.processDate, description.processDescription) =
                (image.processName, image.processDate, image.processDescription)
            try describe(file, entry: entry, description)
            try file.close()
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "\(error)")
        }
    }
}
