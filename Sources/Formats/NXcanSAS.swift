import Core
import Foundation
import HDF5

/// One reduced 1-D curve I(Q) with what NXcanSAS can say about how it was measured.
public struct SASCurve: Sendable {
    /// The entry's title.
    public var title: String
    /// The run identifier (`run`), e.g. a uid or frame number.
    public var run: String
    /// Q in 1/Å.
    public var q: [Double]
    /// I in `intensityUnits`, with its standard uncertainty.
    public var intensity: [Double]
    /// The standard uncertainty of each intensity, in the same units (`Idev`).
    public var uncertainty: [Double]
    /// UDUNITS name of I: "1/cm" for absolute scale, "arbitrary" otherwise.
    public var intensityUnits: String
    /// Gaussian Q resolution (one standard deviation, 1/Å) per point; SasView smears fits with it.
    public var qResolution: [Double]?
    /// The instrument's name, when known.
    public var instrument: String?
    /// Å.
    public var wavelength: Double?
    /// Sample–detector distance in m.
    public var distance: Double?
    /// The sample's name; the file uses ``run`` when nil.
    public var sampleName: String?
    /// Free-text sample details, e.g. the true model parameters as JSON.
    public var sampleDetails: String?
    /// The program that made the curve and how.
    public var processName: String
    /// When the curve was made (ISO 8601).
    public var processDate: String
    /// Free text on how the curve was made.
    public var processDescription: String

    /// A curve with its Q, I and uncertainty; I defaults to 1/cm and the optional parts to absent.
    public init(title: String, run: String, q: [Double], intensity: [Double], uncertainty: [Double],
                intensityUnits: String = "1/cm", qResolution: [Double]? = nil, instrument: String? = nil,
                wavelength: Double? = nil, distance: Double? = nil, sampleName: String? = nil,
                sampleDetails: String? = nil, processName: String, processDate: String, processDescription: String) {
        self.title = title
        self.run = run
        self.q = q
        self.intensity = intensity
        self.uncertainty = uncertainty
        self.intensityUnits = intensityUnits
        self.qResolution = qResolution
        self.instrument = instrument
        self.wavelength = wavelength
        self.distance = distance
        self.sampleName = sampleName
        self.sampleDetails = sampleDetails
        self.processName = processName
        self.processDate = processDate
        self.processDescription = processDescription
    }
}

/// NXcanSAS, the NeXus application definition for reduced small-angle scattering data (what SasView loads).
///
/// Layout (docs/reference/integration.md §12; group names are free, `canSAS_class` carries the meaning):
/// `/sasentry01` (SASentry: `definition`, `title`, `run`) holding `sasdata01` (SASdata: `Q`, `I`, `Idev`, `Qdev`
/// with `signal`, `I_axes`, `Q_indices`, `uncertainties` and `resolutions`), `sasinstrument` (SASsource with the
/// wavelength, SASdetector with the distance), `sassample` and `sasprocess`. Every numeric field carries `units`.
public enum NXcanSAS {
    /// Writes `curve` as a single-entry NXcanSAS file at `path` (replacing it).
    /// - Throws: ``FormatError`` naming the file when the arrays disagree in length or HDF5 fails.
    public static func write(_ curve: SASCurve, to path: String) throws {
        let n = curve.q.count
        guard curve.intensity.count == n, curve.uncertainty.count == n, curve.qResolution.map({ $0.count == n }) ?? true
        else {
            throw FormatError(file: path, message: "Q, I, Idev and Qdev must have the same length")
        }
        do {
            let file = try File.create(path)
            defer { try? file.close() }
            let (entry, data) = try openEntry(file, title: curve.title, run: curve.run, creator: curve.processName)
            try file.setAttribute("signal", .string("I"), on: data)
            try file.setAttribute("I_axes", .string("Q"), on: data)
            try file.setAttribute("Q_indices", .ints([0]), on: data)
            try field(file, data + "/Q", curve.q, units: "1/angstrom",
                      extra: curve.qResolution == nil ? [:] : ["resolutions": "Qdev"])
            try field(file, data + "/I", curve.intensity, units: curve.intensityUnits, extra: ["uncertainties": "Idev"])
            try field(file, data + "/Idev", curve.uncertainty, units: curve.intensityUnits)
            if let resolution = curve.qResolution { try field(file, data + "/Qdev", resolution, units: "1/angstrom") }

            try describe(file, entry: entry, EntryDescription(curve))
            try file.close()
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(file: path, message: "\(error)")
        }
    }

    /// Starts the file's one entry `/sasentry01` and its `sasdata01` group (whose fields the caller writes).
    static func openEntry(_ file: File, title: String, run: String, creator: String) throws -> (entry: String, data: String) {
        try file.setAttribute("default", .string("sasentry01"))
        try file.setAttribute("creator", .string(creator))
        let entry = "/sasentry01"
        try group(file, entry, nx: "NXentry", canSAS: "SASentry")
        try file.setAttribute("version", .string("1.1"), on: entry)
        try file.setAttribute("default", .string("sasdata01"), on: entry)
        try file.createScalar(entry + "/definition", string: "NXcanSAS")
        try file.createScalar(entry + "/title", string: title)
        try file.createScalar(entry + "/run", string: run)
        let data = entry + "/sasdata01"
        try group(file, data, nx: "NXdata", canSAS: "SASdata")
        return (entry, data)
    }

    /// What an entry says besides its data: instrument, sample and process.
    struct EntryDescription {
        var instrument: String?, wavelength: Double?, distance: Double?
        var sampleName: String, sampleDetails: String?
        var processName: String, processDate: String, processDescription: String

        init(title: String) {
            (sampleName, processName, processDate, processDescription) = (title, "", "", "")
        }

        init(_ curve: SASCurve) {
            (instrument, wavelength, distance) = (curve.instrument, curve.wavelength, curve.distance)
            (sampleName, sampleDetails) = (curve.sampleName ?? curve.run, curve.sampleDetails)
            (processName, processDate, processDescription) = (curve.processName, curve.processDate, curve.processDescription)
        }
    }

    /// Writes the entry's `sasinstrument`, `sassample` and `sasprocess` groups.
    static func describe(_ file: File, entry: String, _ curve: EntryDescription) throws {
        let instrument = entry + "/sasinstrument"
        try group(file, instrument, nx: "NXinstrument", canSAS: "SASinstrument")
        if let name = curve.instrument { try file.createScalar(instrument + "/name", string: name) }
        try group(file, instrument + "/sassource", nx: "NXsource", canSAS: "SASsource")
        // NXcanSAS enumerates the probe in lower case ("x-ray"); NXsource's `probe` says it the current way.
        try file.createScalar(instrument + "/sassource/radiation", string: "x-ray")
        try file.createScalar(instrument + "/sassource/probe", string: "x-ray")
        if let wavelength = curve.wavelength {
            try file.createScalar(instrument + "/sassource/incident_wavelength", double: wavelength)
            try file.setAttribute("units", .string("angstrom"), on: instrument + "/sassource/incident_wavelength")
        }
        if let distance = curve.distance {
            try group(file, instrument + "/sasdetector", nx: "NXdetector", canSAS: "SASdetector")
            try file.createScalar(instrument + "/sasdetector/name", string: "\(curve.instrument ?? "simulated") detector")
            try file.createScalar(instrument + "/sasdetector/SDD", double: distance)
            try file.setAttribute("units", .string("m"), on: instrument + "/sasdetector/SDD")
        }

        let sample = entry + "/sassample"
        try group(file, sample, nx: "NXsample", canSAS: "SASsample")
        try file.createScalar(sample + "/name", string: curve.sampleName)
        if let details = curve.sampleDetails { try file.createScalar(sample + "/details", string: details) }

        let process = entry + "/sasprocess"
        try group(file, process, nx: "NXprocess", canSAS: "SASprocess")
        try file.createScalar(process + "/name", string: curve.processName)
        try file.createScalar(process + "/date", string: curve.processDate)
        try file.createScalar(process + "/description", string: curve.processDescription)
    }

    static func group(_ file: File, _ path: String, nx: String, canSAS: String) throws {
        try file.createGroup(path)
        try file.setAttribute("NX_class", .string(nx), on: path)
        try file.setAttribute("canSAS_class", .string(canSAS), on: path)
    }

    static func field(_ file: File, _ path: String, _ values: [Double], shape: [Int]? = nil, units: String,
                      extra: [String: String] = [:]) throws {
        let shape = shape ?? [values.count]
        let dataset = try file.createDataset(path, type: .float64, shape: shape)
        try dataset.write(values, rows: [0..<shape[0]])
        try dataset.setAttribute("units", .string(units))
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { try dataset.setAttribute(key, .string(value)) }
    }
}
