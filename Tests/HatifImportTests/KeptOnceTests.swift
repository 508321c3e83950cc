import Testing

@testable import HatifImport

@Suite("An object kept once with a shape")
struct KeptOnceTests {
    final class Made: Sendable {
        let number: Int
        init(_ number: Int) { self.number = number }
    }

    final class Holder: Sendable {
        let kept = KeptOnce<Made>()
    }

    /// Weak references to the objects a race made, to tell which are freed.
    final class Weak: @unchecked Sendable {
        weak var object: Made?
        init(_ object: Made) { self.object = object }
    }

    /// Sixteen tasks that each make an object and keep it in `holder`: each one's number, the number of
    /// the object it got back, and a weak reference to the object it made.
    static func race(_ holder: Holder) async -> [(made: Int, kept: Int, weak: Weak)] {
        await withTaskGroup(of: (Int, Int, Weak).self) { group in
            for number in 0..<16 {
                group.addTask {
                    let made = Made(number)
                    let kept = holder.kept.keep(made)
                    return (number, kept._withUnsafeGuaranteedRef { $0.number }, Weak(made))
                }
            }
            var results: [(made: Int, kept: Int, weak: Weak)] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    @Test("tasks that race to keep an object all get the first one kept; the others are freed at once, the kept one with its holder")
    func raceKeepsOne() async throws {
        var holder: Holder? = Holder()
        let results = await Self.race(try #require(holder))
        let kept = Set(results.map(\.kept))
        #expect(kept.count == 1)
        #expect(holder?.kept.load()?._withUnsafeGuaranteedRef { $0.number } == kept.first)
        for result in results where result.made != result.kept {
            #expect(result.weak.object == nil, "object \(result.made), not kept, was not freed")
        }
        let survivor = try #require(results.first { $0.made == $0.kept }?.weak)
        #expect(survivor.object != nil)
        holder = nil
        #expect(survivor.object == nil, "the kept object is freed with its holder")
    }

    @Test("nothing is kept until an object is, and an empty holder frees nothing")
    func emptyHolder() {
        let holder = Holder()
        #expect(holder.kept.load() == nil)
    }
}
