import Core
import HDF5

/// A per-item output dataset: the file holds `itemCount × itemShape` elements at `/<job>/<name>`.
public struct OutputSpec: Sendable {
    /// The dataset's name under the job's group; `sasdata01/I` lands in the subgroup `sasdata01`.
    public var name: String
    /// The element type in the file.
    public var type: ElementType
    /// The shape of one item's value; `[]` for a scalar per item.
    public var itemShape: [Int]
    /// Attributes set on the dataset.
    public var attributes: [String: AttributeValue]
    /// The HDF5 chunk within one item (e.g. one sinogram of a tomogram), or nil for the run's default (contiguous,
    /// or `chunk_items` items per chunk when compressing). A chunk never spans items.
    public var chunk: [Int]?

    /// An output `name` of `type` with one item's extent `itemShape`, dataset attributes and an optional chunk.
    public init(_ name: String, type: ElementType, itemShape: [Int] = [], attributes: [String: AttributeValue] = [:],
                chunk: [Int]? = nil) {
        self.name = name
        self.type = type
        self.itemShape = itemShape
        self.attributes = attributes
        self.chunk = chunk
    }

    /// Elements per item.
    public var elementsPerItem: Int { itemShape.reduce(1, *) }

    /// Bytes per item in the file.
    public var bytesPerItem: Int {
        if case .string = type { return type.size }
        return elementsPerItem * type.size
    }
}
