import Foundation
import Formats

/// Where the detector sits: SAXSDog's Fit2D-style tilt model or pyFAI's PONI rotations.
public enum DetectorGeometry: Sendable, Equatable {
    case fit2d(Fit2DGeometry)
    case poni(PONIGeometry)

    public var rows: Int {
        switch self {
        case .fit2d(let g): g.rows
        case .poni(let g): g.rows
        }
    }

    public var columns: Int {
        switch self {
        case .fit2d(let g): g.columns
        case .poni(let g): g.columns
        }
    }
}

/// SAXSDog's geometry (docs/reference/integration.md §3): beam centre `[y from the bottom, x]` in pixels, distance in mm,
/// square pixels, Fit2D tilt angle and tilt-plane rotation in degrees.
public struct Fit2DGeometry: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Beam centre row, counted from the bottom edge (SAXSDog `BeamCenter[0]`).
    public var beamCenterY: Double
    /// Beam centre column (SAXSDog `BeamCenter[1]`).
    public var beamCenterX: Double
    public var distanceMM: Double
    public var pixelMM: Double
    public var tiltDeg: Double
    public var tiltRotationDeg: Double

    public init(rows: Int, columns: Int, beamCenterY: Double, beamCenterX: Double, distanceMM: Double,
                pixelMM: Double, tiltDeg: Double, tiltRotationDeg: Double) {
        self.rows = rows
        self.columns = columns
        self.beamCenterY = beamCenterY
        self.beamCenterX = beamCenterX
        self.distanceMM = distanceMM
        self.pixelMM = pixelMM
        self.tiltDeg = tiltDeg
        self.tiltRotationDeg = tiltRotationDeg
    }
}

/// pyFAI's geometry (docs/reference/integration.md §4): distance and PONI in m along dim1 (rows) and dim2 (columns), rotations
/// in rad, pixel sizes in m; pixel (i, j) has its centre at ((i + 0.5)·pixel1, (j + 0.5)·pixel2).
public struct PONIGeometry: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var distance: Double
    public var poni1: Double
    public var poni2: Double
    public var rot1: Double
    public var rot2: Double
    public var rot3: Double
    public var pixel1: Double
    public var pixel2: Double
}

/// Polarization correction as SAXSDog states it: the fraction polarized along `angleDeg`.
public struct Polarization: Sendable, Equatable {
    public var fraction: Double
    public var angleDeg: Double
}

/// One entry of the calibration's `Masks` list: one integration (radial, or azimuthal in phi-mode).
public struct IntegrationSettings: Sendable, Equatable {
    /// The mask file as resolved (nil: no pixel masked).
    public var maskFile: String?
    public var oversampling: Int
    public var pixelsPerRadialElement: Double
    public var name: String
    /// Intensity against azimuth in the band qStart…qStop instead of against q.
    public var phiMode: Bool
    /// nm⁻¹, for the integral parameters (and the band in phi-mode).
    public var qStart: Double
    public var qStop: Double
}

/// A GISAXS cut (SAXSDog `Slices[]`): a band of rows (Direction x) or columns (Direction y).
public struct SliceSettings: Sendable, Equatable {
    public enum Direction: String, Sendable { case x, y }
    public enum Plane: String, Sendable { case inPlane = "InPlane", vertical = "Vertical" }
    public var direction: Direction
    public var plane: Plane
    /// Pixels, counted from the bottom (rows) or the left (columns), 1-based as SAXSDog's code counts them.
    public var cutPosition: Int
    public var cutMargin: Int
    public var incidentAngleDeg: Double
    /// Index into the masks, or nil for none (SAXSDog's -1, which there masks everything).
    public var maskIndex: Int?
}

/// A detector calibration: geometry, wavelength, the integrations to run and their masks.
public struct Calibration: Sendable {
    public var title: String
    public var geometry: DetectorGeometry
    /// Å.
    public var wavelength: Double
    public var integrations: [IntegrationSettings]
    public var slices: [SliceSettings]
    public var polarization: Polarization?
    /// SAXSDog's GISAXS mode: only the slices are written, not the first integration.
    public var gisaxsMode: Bool
    /// The calibration file as loaded, for `.chi` headers (Python `json.dumps` of it); nil for PONI files.
    public var json: JSONValue?
    /// The file it came from.
    public var file: String
    /// Things worth saying that do not stop the run (a beam centre off the detector, unequal pixel sides).
    public var warnings: [String]

    /// q in nm⁻¹ from the full scattering angle 2θ: 4π sin(θ)/(λ·Å), where SAXSDog's Å is the Å* unit,
    /// 0.100001495 nm (a 1.5e-5 relative effect), and a PONI file's is 0.1 nm (its wavelength is in m).
    public func q(twoTheta: Double) -> Double {
        let angstrom = if case .fit2d = geometry { Self.angstromStar } else { 0.1 }
        return 4 * Double.pi * sin(twoTheta / 2) / (wavelength * angstrom)
    }

    /// SAXSDog's Ångström in nm (the Å* unit).
    public static let angstromStar = 0.100001495
}

/// A calibration that cannot be used; the message names the file and the field.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ file: String, _ message: String) { description = "\(file): \(message)" }
}
