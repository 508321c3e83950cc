/// The record that first carried each 64-bit key hash: a table of open addressing, probed in order,
/// that takes ``StableHash`` values as they are.
///
/// A `[UInt64: RecordID]` hashed every hash again with the standard library's SipHash on each lookup and
/// insert: the in-file duplicate check took 6% of the client's read + map + plan (PlanThroughput,
/// 2026-12-04). A stable hash is already mixed (SplitMix64's finish), so its low bits choose the slot.
/// The same memory as the dictionary: 24 bytes a slot, at most three slots in four filled.
struct RecordsByHash {
    /// One slot: a hash and its record, the record's file index plus one (0: the slot is empty).
    private struct Slot {
        var hash: UInt64 = 0
        var file: Int32 = 0
        var ordinal: Int64 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    /// Hashes held.
    private(set) var count = 0

    /// An empty table.
    init() {
        slots = [Slot](repeating: Slot(), count: 1024)
        mask = 1023
    }

    /// The record of `hash`, if one was put.
    func record(for hash: UInt64) -> RecordID? {
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot.file == 0 { return nil }
            if slot.hash == hash { return RecordID(fileIndex: Int(slot.file) - 1, ordinal: Int(slot.ordinal)) }
            index = (index + 1) & mask
        }
    }

    /// Makes `id` the record of `hash`.
    mutating func put(_ hash: UInt64, _ id: RecordID) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let slot = Slot(hash: hash, file: Int32(truncatingIfNeeded: id.fileIndex + 1), ordinal: Int64(id.ordinal))
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].file != 0 {
            if slots[index].hash == hash {
                slots[index] = slot
                return
            }
            index = (index + 1) & mask
        }
        slots[index] = slot
        count += 1
    }

    /// Doubles the slots, putting every held hash again.
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.file != 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].file != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
