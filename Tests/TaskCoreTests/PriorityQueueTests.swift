import TaskCore
import Testing

@Suite struct PriorityQueueTests {
    /// A W1-style element: higher priority first, then lower sequence number (FIFO).
    struct Entry: Comparable, CustomStringConvertible {
        var priority: Int
        var seq: Int
        static func < (a: Entry, b: Entry) -> Bool {
            a.priority != b.priority ? a.priority < b.priority : a.seq > b.seq
        }
        var description: String { "\(priority)/\(seq)" }
    }

    /// A small deterministic generator so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func anEmptyQueueHasNothingToPop() {
        var queue = PriorityQueue<Int>()
        #expect(queue.isEmpty && queue.count == 0 && queue.max == nil)
        #expect(queue.popMax() == nil)
        #expect(queue.popMax(if: { _ in true }) == nil)
    }

    @Test func popsComeGreatestFirst() {
        var queue = PriorityQueue<Int>()
        for value in [5, 1, 9, 3, 9, 7, 2] { queue.push(value) }
        #expect(queue.count == 7 && queue.max == 9)
        var popped: [Int] = []
        while let value = queue.popMax() { popped.append(value) }
        #expect(popped == [9, 9, 7, 5, 3, 2, 1])
        #expect(queue.isEmpty)
    }

    @Test func equalPrioritiesComeOutInSequenceOrder() {
        var queue = PriorityQueue<Entry>()
        for seq in 0..<200 { queue.push(Entry(priority: [1, 5, 10, 20][seq % 4], seq: seq)) }
        let popped = Array(queue)
        #expect(popped.count == 200 && queue.count == 200, "iteration leaves the queue as it was")
        #expect(zip(popped, popped.dropFirst()).allSatisfy { !($0 < $1) })
        #expect(popped.prefix(3).map(\.seq) == [3, 7, 11])
    }

    @Test func conditionalPopOnlyTakesAnAcceptedMaximum() {
        var queue: PriorityQueue = [3, 8, 1]
        #expect(queue.popMax(if: { $0 < 5 }) == nil && queue.count == 3)
        #expect(queue.popMax(if: { $0 > 5 }) == 8 && queue.max == 3)
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 6, 17, 100, 1000, 4097])
    func randomisedPushesAndPopsMatchSorting(size: Int) {
        var rng = SplitMix64(state: UInt64(size) &+ 42)
        var queue = PriorityQueue<Int>()
        var reference: [Int] = []
        for _ in 0..<size {
            let value = Int.random(in: -50...50, using: &rng)
            queue.push(value)
            reference.append(value)
            // Interleave some pops so the heap is exercised at every shape.
            if Int.random(in: 0..<4, using: &rng) == 0 {
                let expected = reference.max()
                #expect(queue.popMax() == expected)
                if let expected { reference.remove(at: reference.firstIndex(of: expected)!) }
            }
        }
        #expect(queue.count == reference.count)
        var drained: [Int] = []
        while let value = queue.popMax() { drained.append(value) }
        #expect(drained == reference.sorted(by: >))
    }

    @Test(arguments: [0, 1, 5, 64, 1000])
    func heapConstructionMatchesSorting(size: Int) {
        var rng = SplitMix64(state: 7)
        let values = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let queue = PriorityQueue(values)
        #expect(queue.count == size)
        #expect(Array(queue) == values.sorted(by: >))
    }

    @Test func capacityAndRemoveAll() {
        var queue = PriorityQueue<Int>()
        queue.reserveCapacity(100)
        #expect(queue.capacity >= 100)
        for value in 0..<50 { queue.push(value) }
        queue.removeAll(keepingCapacity: true)
        #expect(queue.isEmpty && queue.capacity >= 100)
        queue.push(1)
        #expect(queue.max == 1 && queue.unordered.count == 1)
        #expect(queue.description == "PriorityQueue([1])")
    }
}
