import HatifAPI
import Testing

@testable import HatifImport

@Suite("growable buffer")
struct GrowableBufferTests {
    @Test("appends of every short length (copied without memmove) and long ones hold the same bytes as an array, across growth")
    func appendsMatchAnArray() {
        var random = SeededGenerator(seed: 11)
        let buffer = GrowableBuffer<UInt8>(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<20_000 {
            let length = round < 100 ? round % 25 : Int.random(in: 0...(Int.random(in: 0..<10, using: &random) == 0 ? 300 : 20), using: &random)
            let values = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            values.withUnsafeBufferPointer { buffer.append($0) }
            expected += values
            if Int.random(in: 0..<500, using: &random) == 0 {
                buffer.removeAll()
                expected.removeAll()
            }
        }
        #expect(Array(buffer.buffer) == expected)
    }

    @Test("appends of short runs of wider values keep every value")
    func widerValues() {
        let buffer = GrowableBuffer<Int>(capacity: 2)
        var expected: [Int] = []
        for length in 0..<12 {
            let values = (0..<length).map { $0 * 1_000_003 - length }
            values.withUnsafeBufferPointer { buffer.append($0) }
            expected += values
        }
        #expect(Array(buffer.buffer) == expected)
    }
}
