import Foundation

/// Reads another stream ahead on a thread of its own, a few blocks at most, so a .gz or an XLSX sheet is
/// inflated on one core while the reader parses on the other.
///
/// The readers are synchronous (a caller pulls one record at a time), so the producer is a plain thread
/// with a bounded queue rather than a task: a task blocked on a condition would hold one of the
/// cooperative pool's few threads.
final class PrefetchingStream: ByteStream {
    static let blockSize = 256 * 1024
    static let depth = 4

    /// What the producer and the reader share, under one lock; the thread holds it, not the stream, so the
    /// stream's `deinit` can stop the thread.
    private final class Channel: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [[UInt8]] = []
        var spare: [[UInt8]] = []
        var failure: ReaderError?
        var finished = false
        var cancelled = false
    }

    /// The source, handed to the producer thread alone once it starts.
    private struct Handoff: @unchecked Sendable { let source: ByteStream }

    private let channel = Channel()
    private var current: [UInt8] = []
    private var consumed = 0

    init(_ source: ByteStream) {
        let channel = self.channel
        let handoff = Handoff(source: source)
        let thread = Thread { Self.produce(handoff.source, into: channel) }
        thread.name = "hatif-import inflate"
        thread.start()
    }

    deinit {
        channel.condition.lock()
        channel.cancelled = true
        channel.condition.broadcast()
        channel.condition.unlock()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if consumed == current.count {
            channel.condition.lock()
            if !current.isEmpty { channel.spare.append(current) }
            current = []
            consumed = 0
            while channel.ready.isEmpty && !channel.finished { channel.condition.wait() }
            if !channel.ready.isEmpty { current = channel.ready.removeFirst() }
            let failure = channel.ready.isEmpty && current.isEmpty ? channel.failure : nil
            channel.condition.broadcast()
            channel.condition.unlock()
            if let failure { throw failure }
            if current.isEmpty { return 0 }
        }
        let count = min(buffer.count, current.count - consumed)
        current.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress { base.copyMemory(from: source + consumed, byteCount: count) }
        }
        consumed += count
        return count
    }

    private static func produce(_ source: ByteStream, into channel: Channel) {
        while true {
            channel.condition.lock()
            while channel.ready.count >= depth && !channel.cancelled { channel.condition.wait() }
            let cancelled = channel.cancelled
            var block = channel.spare.popLast() ?? [UInt8](repeating: 0, count: blockSize)
            channel.condition.unlock()
            if cancelled { return }
            var failure: ReaderError?
            var count = 0
            do throws(ReaderError) {
                count = try block.fill { bytes throws(ReaderError) in try source.readFully(into: bytes) }
            } catch {
                failure = error
            }
            if count < block.count { block.removeSubrange(count...) }
            channel.condition.lock()
            if count > 0 { channel.ready.append(block) }
            if failure != nil || count == 0 {
                channel.failure = failure
                channel.finished = true
            }
            channel.condition.broadcast()
            channel.condition.unlock()
            if failure != nil || count == 0 { return }
        }
    }
}
