import Batch
import Core
import Formats
import Foundation

/// `--sasview`: each frame as SasView reads 2-D data, `sasview/frame_<frame>.dat` (NIST 4-column ASCII) and
/// `sasview/frame_<frame>.h5` (2-D NXcanSAS), per pixel Qx, Qy = the scattering vector's components along +columns
/// and +rows (pyFAI's qxgi, qygi: k sin 2θ cos χ, k sin 2θ sin χ, 1/Å), I the pixel's value (÷ its relative
/// solid angle with `--solid-angle`) and err = √max(I, 1) (Poisson, likewise scaled); pixels masked by `--mask`,
/// negative or overflowing are flagged (the .dat's mask column, the .h5's `Mask` = 1) and written as 0 in the .dat.
extension OrientJob {
    /// The folder of the exports inside the output directory.
    public static let sasviewFolder = "sasview"

    /// The frame's pixels as doubles (`pixels` values of `type` at `frame`).
    static func pixelValues(_ frame: UnsafeRawPointer, type: ElementType, pixels: Int) -> [Double] {
        func read<T: FrameValue>(_: T.Type) -> [Double] {
            let values = UnsafeBufferPointer(start: frame.assumingMemoryBound(to: T.self), count: pixels)
            return values.map { Double($0.float) }
        }
        return switch type {
        case .float32: read(Float.self)
        case .int32: read(Int32.self)
        case .uint32: read(UInt32.self)
        case .uint16: read(UInt16.self)
        case .int16: read(Int16.self)
        case .uint8: read(UInt8.self)
        default: preconditionFailure("frames of \(type) reach orient; FrameFile.pixelType allows none")
        }
    }

    /// The two export files of item `item` whose pixels are `values`, masked by `mask` and the static mask.
    func sasviewFiles(item: Int, values: [Double], mask: DynamicMask) -> [ItemFile] {
        let frame = frames[item]
        var intensity = values, uncertainty = values, masked = [Bool](repeating: false, count: values.count)
        for p in values.indices {
            let v = values[p]
            masked[p] = !(valid?[p] ?? true) || !v.isFinite || (mask.negative && v < 0)
                || (mask.overflow.map { Float(v) >= $0 } ?? false)
            if masked[p] && !v.isFinite { (intensity[p], uncertainty[p]) = (0, 0); continue }
            let scale = matrix.correction.map { Double($0[p]) } ?? 1
            intensity[p] = v * scale
            uncertainty[p] = max(v, 1).squareRoot() * scale
        }
        var made = SASImage(
            title: frame.title, run: String(item), rows: geometry.poni.rows, columns: geometry.poni.columns,
            qx: qMaps.qHorizontal, qy: qMaps.qVertical, intensity: intensity, uncertainty: uncertainty, masked: masked,
            wavelength: geometry.wavelength, distance: geometry.poni.distance,
            sampleName: frame.sample.isEmpty ? frame.title : frame.sample, processName: "beamforge orient",
            processDate: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: frame.timeSeconds.isFinite
                                                                  ? frame.timeSeconds : 0)),
            processDescription: "frame \(inputs.frames[item].index) of \(inputs.file(of: item).path); Qx, Qy along "
                + "+columns and +rows (pyFAI qxgi, qygi); err = sqrt(max(I, 1))"
                + (settings.solidAngle ? "; solid-angle corrected" : ""))
        made.qz = qMaps.qBeam
        let image = made
        let stem = Self.sasviewFolder + "/" + String(format: "frame_%06d", item)
        return [
            ItemFile(path: stem + ".dat") { path in
                do { try image.nistText.write(toFile: path, atomically: false, encoding: .utf8) } catch {
                    throw FormatError(file: path, message: "cannot write it: \(error)")
                }
            },
            ItemFile(path: stem + ".h5") { path in try NXcanSAS.write(image, to: path) },
        ]
    }
}
