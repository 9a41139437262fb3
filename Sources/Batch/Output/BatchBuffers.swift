import HDF5

/// One round's values for every output, packed row after row for a single collective write per dataset.
struct BatchBuffers: Sendable {
    private enum Buffer: Sendable {
        case empty
        case float64([Double]), float32([Float]), int64([Int64]), int32([Int32]), uint16([UInt16]), uint8([UInt8])
        case strings([String])
    }

    private let specs: [OutputSpec]
    private var buffers: [Buffer]

    init(specs: [OutputSpec]) {
        self.specs = specs
        buffers = Array(repeating: .empty, count: specs.count)
    }

    /// Empties every buffer but keeps its memory for the next round (a round's buffers can be tens of MB, and
    /// fresh pages cost a fault each).
    mutating func removeAll() {
        for index in buffers.indices {
            let current = buffers[index]
            buffers[index] = .empty
            buffers[index] = Self.emptied(current)
        }
    }

    private static func emptied(_ buffer: consuming Buffer) -> Buffer {
        switch buffer {
        case .empty: return .empty
        case .float64(var b): b.removeAll(keepingCapacity: true); return .float64(b)
        case .float32(var b): b.removeAll(keepingCapacity: true); return .float32(b)
        case .int64(var b): b.removeAll(keepingCapacity: true); return .int64(b)
        case .int32(var b): b.removeAll(keepingCapacity: true); return .int32(b)
        case .uint16(var b): b.removeAll(keepingCapacity: true); return .uint16(b)
        case .uint8(var b): b.removeAll(keepingCapacity: true); return .uint8(b)
        case .strings(var b): b.removeAll(keepingCapacity: true); return .strings(b)
        }
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
                guard case .string = values else {
                    throw BatchError(.item(item), "item \(item): output '\(spec.name)' must be a string", agreed: false)
                }
            } else if values.count != spec.elementsPerItem {
                throw BatchError(.item(item), "item \(item): output '\(spec.name)' has \(values.count) values, "
                                 + "expected \(spec.elementsPerItem) (shape \(spec.itemShape))", agreed: false)
            }
            // Take the buffer out of the array so that appending to it happens in place.
            let current = buffers[index]
            buffers[index] = .empty
            guard let merged = Self.appending(values, to: current) else {
                throw BatchError(.item(item), "item \(item): output '\(spec.name)' changed its value type", agreed: false)
            }
            buffers[index] = merged
        }
    }

    private static func appending(_ values: Values, to buffer: consuming Buffer) -> Buffer? {
        switch (buffer, values) {
        case (.empty, .float64(let v)): return .float64(v)
        case (.empty, .float32(let v)): return .float32(v)
        case (.empty, .int64(let v)): return .int64(v)
        case (.empty, .int32(let v)): return .int32(v)
        case (.empty, .uint16(let v)): return .uint16(v)
        case (.empty, .uint8(let v)): return .uint8(v)
        case (.empty, .string(let s)): return .strings([s])
        case (.float64(var b), .float64(let v)): b.append(contentsOf: v); return .float64(b)
        case (.float32(var b), .float32(let v)): b.append(contentsOf: v); return .float32(b)
        case (.int64(var b), .int64(let v)): b.append(contentsOf: v); return .int64(b)
        case (.int32(var b), .int32(let v)): b.append(contentsOf: v); return .int32(b)
        case (.uint16(var b), .uint16(let v)): b.append(contentsOf: v); return .uint16(b)
        case (.uint8(var b), .uint8(let v)): b.append(contentsOf: v); return .uint8(b)
        case (.strings(var b), .string(let s)): b.append(s); return .strings(b)
        default: return nil
        }
    }

    /// Writes output `index` to `dataset` at `rows` (collective: every rank calls it, with `rows` possibly empty).
    func write(output index: Int, to dataset: Dataset, rows: [Range<Int>]) throws {
        switch buffers[index] {
        case _ where rows.isEmpty, .empty:
            try dataset.writeNoRows()
        case .float64(let v): try dataset.write(v, rows: rows)
        case .float32(let v): try dataset.write(v, rows: rows)
        case .int64(let v): try dataset.write(v, rows: rows)
        case .int32(let v): try dataset.write(v, rows: rows)
        case .uint16(let v): try dataset.write(v, rows: rows)
        case .uint8(let v): try dataset.write(v, rows: rows)
        case .strings(let s): try dataset.writeStrings(s, rows: rows)
        }
    }
}
