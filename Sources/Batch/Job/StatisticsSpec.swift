import Core
import HDF5

/// Runs of consecutive items summarised separately (the sinograms of one scan), leaving out `margin` items at
/// each end of every run when a run is longer than 2·margin (edge rows of a detector).
public struct ItemGroups: Sendable, Equatable {
    /// Items per run: items `k·size ..< (k+1)·size` form group `k`.
    public var size: Int
    /// Items left out at each end of a run; none are left out unless `size > 2·margin`.
    public var margin: Int

    /// Runs of `size` items with `margin` items left out at each end.
    public init(size: Int, margin: Int) {
        self.size = size
        self.margin = margin
    }

    /// The group of `item`, or nil when it lies in a margin.
    public func group(of item: Int) -> Int? {
        let position = item % size
        if size > 2 * margin && (position < margin || position >= size - margin) { return nil }
        return item / size
    }
}

/// Global statistics of one dataset, computed over all items after they are written.
public struct StatisticsSpec: Sendable, Equatable {
    /// What is applied to each value before it is summarised: nothing, or log10 (values ≤ 0 skipped).
    public enum Transform: String, Sendable { case identity, log10 }

    /// The output dataset's name.
    public var dataset: String
    /// One summary per element of the item shape (e.g. per q bin) instead of one for all values.
    public var perFeature: Bool
    /// Applied to each value first; `log10` skips values ≤ 0.
    public var transform: Transform
    /// Summarise each item while it is produced, keep the summaries in the file (`/stats/<name>/items`) and merge
    /// them in item order at the end, instead of reading the dataset back: for items too large to re-read (a
    /// tomogram is 150 MB). Not with `perFeature`.
    public var byItem: Bool
    /// One summary per group of items instead of one for all (with `byItem` only).
    public var groups: ItemGroups?

    /// Statistics of `dataset`; the options are described on the properties.
    public init(dataset: String, perFeature: Bool = false, transform: Transform = .identity, byItem: Bool = false,
                groups: ItemGroups? = nil) {
        self.dataset = dataset
        self.perFeature = perFeature
        self.transform = transform
        self.byItem = byItem
        self.groups = groups
    }

    /// The name of the result: the dataset's, with `_log10` and `_per_feature` as they apply (the group under
    /// `/stats` and the key of ``RunSummary/statistics``).
    public var resultName: String {
        dataset + (transform == .log10 ? "_log10" : "") + (perFeature ? "_per_feature" : "")
    }
}
