import Core
import Testing

@Suite struct ColumnTests {
    @Test func appendsValuesOfItsOwnKindOnly() {
        var column = Column.float32([1, 2])
        let same = column.append(contentsOf: .float32([3]))
        #expect(same && column == .float32([1, 2, 3]))
        let double = column.append(contentsOf: .float64([4])), text = column.append(contentsOf: .string("x"))
        #expect(!double && !text)
        #expect(column == .float32([1, 2, 3]))
        #expect(column.count == 3 && column.elementType == .float32)
    }

    @Test func stringsAreAColumnWithoutAnElementType() {
        var column = Column.string("a")
        let appended = column.append(contentsOf: .string("b"))
        #expect(appended && column == .strings(["a", "b"]) && column.count == 2 && column.elementType == nil)
    }

    @Test func removeAllKeepsTheKindAndTheMemory() {
        var column = Column.int32(Array(0..<1000))
        column.removeAll(keepingCapacity: true)
        #expect(column == .int32([]))
        guard case .int32(let values) = column else { Issue.record("kind changed"); return }
        #expect(values.capacity >= 1000)
    }

    @Test func elementTypesKnowTheirSizesAndUnsignedMaxima() {
        #expect(ElementType.float64.size == 8 && ElementType.uint16.size == 2 && ElementType.string(length: 7).size == 7)
        #expect(ElementType.uint16.unsignedMaximum == 65535 && ElementType.int16.unsignedMaximum == nil)
        #expect(UInt32.elementType == .uint32 && Int8(-3).doubleValue == -3)
    }
}
