import Foundation

/// Counts distinct values: exactly up to 1,024 of them, then as a HyperLogLog estimate (4 KiB, ~1.6% error).
struct DistinctCounter {
    private static let exactLimit = 1024
    private static let registerBits = 12
    private var exact: Set<String>? = []
    private var registers: [UInt8] = []

    /// Whether the count is an estimate.
    var isEstimate: Bool { exact == nil }

    /// The distinct values in order, while they are counted exactly.
    var exactValues: [String]? { exact.map { $0.sorted() } }

    mutating func add(_ value: String) {
        if exact != nil {
            exact!.insert(value)
            if exact!.count > Self.exactLimit {
                registers = [UInt8](repeating: 0, count: 1 << Self.registerBits)
                for member in exact! { addToSketch(member) }
                exact = nil
            }
            return
        }
        addToSketch(value)
    }

    var count: Int {
        if let exact { return exact.count }
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        var estimate = alpha * m * m / sum
        if estimate <= 2.5 * m, zeros > 0 { estimate = m * log(m / Double(zeros)) }
        return Int(estimate.rounded())
    }

    private mutating func addToSketch(_ value: String) {
        let hash = Self.hash(value)
        let index = Int(hash >> UInt64(64 - Self.registerBits))
        let rest = (hash << UInt64(Self.registerBits)) | (UInt64(1) << UInt64(Self.registerBits - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Stable across runs, so estimates repeat.
    static func hash(_ value: String) -> UInt64 { StableHash.of(value) }
}
