import Core
import HDF5

/// One round's values for every output, packed row after row for a single collective write per dataset.
struct BatchBuffers: Sendable {
    private let specs: [OutputSpec]
    /// Per output, the round's values; nil until an item gives the output's kind of column.
    private var buffers: [Column?]

    init(specs: [OutputSpec]) {
        self.specs = specs
        buffers = Array(repeating: nil, count: specs.count)
    }

    /// Empties every buffer but keeps its memory for the next round.
    mutating func removeAll() {
        for index in buffers.indices { buffers[index]?.removeAll(keepingCapacity: true) }
    }

    /// Appends one item's values, checking that every output is present with the declared element count.
    mutating func append(_ output: ItemOutput, item: Int) throws {
        if let extra = output.values.keys.first(where: { key in !specs.contains { $0.name == key } }) {
            throw BatchError(.item(item), "item \(item) produced undeclared output '\(extra)'", agreed: false)
        }
        for (index, spec) in specs.enumerated() {
            guard let values = output.values[spec.name] else {
                throw BatchError(.item(item), "item \(item) did not produce output '\(spec.name)'", agreed: false)
            }
            if case .string = spec.type {
                guard case .strings(let strings) = values, strings.count == 1 else {
                    throw BatchError(.item(item), "item \(item): output '\(spec.name)' must be one string", agreed: false)
                }
            } else if values.count != spec.elementsPerItem || values.elementType == nil {
                throw BatchError(.item(item), "item \(item): output '\(spec.name)' has \(values.count) values, "
                                 + "expected \(spec.elementsPerItem) numbers (shape \(spec.itemShape))", agreed: false)
            }
            if buffers[index] == nil {
                buffers[index] = values
            } else if buffers[index]?.append(contentsOf: values) != true {
                throw BatchError(.item(item), "item \(item): output '\(spec.name)' changed its value type", agreed: false)
            }
        }
    }

    /// Writes output `index` to `dataset` at `rows` (collective: every rank calls it, with `rows` possibly empty).
    func write(output index: Int, to dataset: Dataset, rows: [Range<Int>]) throws {
        guard !rows.isEmpty, let column = buffers[index] else { return try dataset.writeNoRows() }
        try column.write(to: dataset, rows: rows)
    }
}
