import HDF5

/// What a NeXus viewer (h5web, silx, nexusformat's `plot`) shows first when it opens the job's file: an `NXdata`
/// group inside the job's `NXentry` group whose fields are hard links to the job's datasets (no copy), with the
/// `default` attributes chaining to it from the root (NeXus "Find the plottable data", NIAC 2014 rules).
public struct DefaultPlot: Sendable, Equatable {
    /// One axis of the plot: a dataset of the job's group and the signal dimensions it spans (`q` of shape
    /// items × bins spans `[0, 1]`; an axis over bins only spans `[1]`).
    public struct Axis: Sendable, Equatable {
        public var dataset: String
        public var dimensions: [Int]

        public init(_ dataset: String, dimensions: [Int]) {
            self.dataset = dataset
            self.dimensions = dimensions
        }
    }

    /// The `NXdata` group's name inside the job's group.
    public var group: String
    /// The plotted dataset (relative to the job's group).
    public var signal: String
    /// Its axes; a dimension no axis names is written as "." in `axes`.
    public var axes: [Axis]
    /// The signal's standard uncertainties (linked as `<signal>_errors`), if any.
    public var errors: String?
    /// Other datasets of the same shape a viewer may offer (`auxiliary_signals`).
    public var auxiliarySignals: [String]

    /// A plot of `signal` in the job group's subgroup `group` (default `data`).
    public init(signal: String, axes: [Axis] = [], errors: String? = nil, auxiliarySignals: [String] = [],
                group: String = "data") {
        self.group = group
        self.signal = signal
        self.axes = axes
        self.errors = errors
        self.auxiliarySignals = auxiliarySignals
    }

    /// The name a dataset has inside the `NXdata` group (its last path component).
    static func fieldName(_ dataset: String) -> String {
        String(dataset.split(separator: "/").last ?? Substring(dataset))
    }

    /// The `NXdata` group's attributes for a signal of rank `rank` (items first, from its ``OutputSpec``): `signal`, `axes` (one entry per signal dimension: an axis is named at the
    /// last dimension it spans, "." where none ends), `<axis>_indices` and `auxiliary_signals`.
    public func attributes(rank: Int) -> [String: AttributeValue] {
        var axisNames = [String](repeating: ".", count: rank)
        var result: [String: AttributeValue] = ["NX_class": .string("NXdata"), "signal": .string(Self.fieldName(signal))]
        for axis in axes {
            let name = Self.fieldName(axis.dataset)
            if let last = axis.dimensions.last, last < rank { axisNames[last] = name }
            result[name + "_indices"] = .ints(axis.dimensions.map(Int64.init))
        }
        result["axes"] = .strings(axisNames)
        if !auxiliarySignals.isEmpty { result["auxiliary_signals"] = .strings(auxiliarySignals.map(Self.fieldName)) }
        return result
    }

    /// The hard links that fill the group: (name inside the group, target relative to the job's group).
    public var links: [(name: String, target: String)] {
        var result = [(Self.fieldName(signal), signal)]
        result += axes.map { (Self.fieldName($0.dataset), $0.dataset) }
        if let errors { result.append((Self.fieldName(signal) + "_errors", errors)) }
        result += auxiliarySignals.map { (Self.fieldName($0), $0) }
        return result
    }
}
