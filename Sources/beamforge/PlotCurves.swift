import Batch
import Core
import Formats
import Foundation

/// The curves `beamforge plot` draws: `.chi` files, or frames of an `integrated.h5` (`FILE:FRAME`, or `--frames`).
struct PlotCurve {
    /// The legend's name: the file's name, with `:FRAME` for a frame of an HDF5 file.
    let label: String
    let curve: ChiCurve
}

enum PlotCurves {
    /// The radial integration read from an `integrated.h5` (`/integrated/<group>`).
    static let defaultGroup = "sasdata01"

    /// Reads every argument: `x.chi`, `integrated.h5:FRAME`, or `integrated.h5` with `frames` (nil: every frame).
    /// Returns the curves and the x unit an HDF5 file names (nil for `.chi` files, whose header holds it as text).
    /// - Throws: ``ConfigError`` naming the file, line, frame or dataset at fault.
    static func read(_ arguments: [String], frames: [Int]?, group: String) throws -> (curves: [PlotCurve], unit: String?) {
        var curves: [PlotCurve] = []
        var unit: String?
        for argument in arguments {
            let (path, frame) = split(argument)
            if isHDF5(path) {
                let wanted = frame.map { [$0] } ?? frames
                let read = try frameCurves(path, frames: wanted, group: group)
                curves += read.curves
                unit = unit ?? read.unit
            } else {
                guard frame == nil else { throw ConfigError(key: argument, "a frame number is only for .h5 files") }
                do { curves.append(PlotCurve(label: (path as NSString).lastPathComponent, curve: try ChiCurve(contentsOf: path))) }
                catch { throw ConfigError(error.description) }
            }
        }
        return (curves, unit)
    }

    /// `path:FRAME` split at its last colon when what follows is a number (paths may hold colons).
    static func split(_ argument: String) -> (path: String, frame: Int?) {
        guard let colon = argument.lastIndex(of: ":"), let frame = Int(argument[argument.index(after: colon)...]) else {
            return (argument, nil)
        }
        return (String(argument[..<colon]), frame)
    }

    static func isHDF5(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") || lower.hasSuffix(".nxs")
    }

    /// Frames of `/integrated/<group>` (I, Idev, Q) as curves.
    static func frameCurves(_ path: String, frames: [Int]?, group: String) throws -> (curves: [PlotCurve], unit: String?) {
        let file: JobOutputFile
        do { file = try JobOutputFile(path: path, job: "integrated") } catch { throw ConfigError("\(error)") }
        defer { try? file.close() }
        let base = "/integrated/\(group)"
        do {
            guard let shape = try file.shape(at: base + "/I"), shape.count == 2 else {
                throw ConfigError(key: path, "no dataset \(base)/I of frames × bins (not an integrate output?)")
            }
            guard try file.shape(at: base + "/Q") == [shape[1]] else {
                throw ConfigError(key: path, "no dataset \(base)/Q of \(shape[1]) values")
            }
            let q = try file.read(Double.self, at: base + "/Q")
            var unit: String?
            if case .string(let units)? = try file.attribute("units", at: base + "/Q") { unit = units }
            let hasErrors = try file.shape(at: base + "/Idev") == shape
            let name = (path as NSString).lastPathComponent
            var curves: [PlotCurve] = []
            for frame in frames ?? Array(0..<shape[0]) {
                guard frame >= 0 && frame < shape[0] else {
                    throw ConfigError(key: path, "frame \(frame) is out of range (the file has \(shape[0]) frames, 0 to \(shape[0] - 1))")
                }
                let i = try file.read(Double.self, at: base + "/I", offset: [frame, 0], count: [1, shape[1]])
                let e = hasErrors ? try file.read(Double.self, at: base + "/Idev", offset: [frame, 0], count: [1, shape[1]]) : nil
                curves.append(PlotCurve(label: "\(name):\(frame)", curve: ChiCurve(x: q, intensity: i, error: e)))
            }
            return (curves, unit)
        } catch let error as ConfigError { throw error } catch { throw ConfigError("\(error)") }
    }
}
