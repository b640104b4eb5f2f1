import Foundation
import TaskCore

/// One W1 element: served by priority (higher first), then by sequence number (lower first).
struct W1Entry: Comparable {
    var priority: Int
    var seq: Int

    /// Creates an element of the W1 domain (priority 0..<2^23, seq 0..<2^40), where ``key`` is exact.
    init(priority: Int, seq: Int) {
        precondition((0..<(1 << 23)).contains(priority) && (0..<(1 << 40)).contains(seq), "outside the W1 domain")
        self.priority = priority
        self.seq = seq
    }

    /// `a < b` means b is served before a (the queue pops its greatest element).
    @inline(__always)
    static func < (a: W1Entry, b: W1Entry) -> Bool {
        a.key < b.key
    }

    /// The order as one 64-bit number (priority above, sequence number reversed below): one
    /// branch-free comparison instead of two dependent, hard-to-predict ones. Exact for the domain
    /// the initialiser checks. (A general 128-bit key measured slower: its cmov chains are longer.)
    @inline(__always)
    var key: UInt64 {
        UInt64(truncatingIfNeeded: priority) << 40 | UInt64(truncatingIfNeeded: (1 << 40) - 1 - seq)
    }
}

/// The reference SplitMix64 generator of WORKLOADS.md.
struct W1SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// W1: 1,000,000 (priority, seq) pushes into an empty queue, then 1,000,000 pops; one warm-up and
/// seven measured runs in one process; order and counts checked outside the timing.
func runW1PriorityQueue() async throws {
    let n = 1_000_000
    let levels = [1, 5, 10, 20]
    var rng = W1SplitMix64(state: 42)
    var elements: [W1Entry] = []
    elements.reserveCapacity(n)
    for i in 0..<n { elements.append(W1Entry(priority: levels[Int(rng.next() % 4)], seq: i)) }

    let firstEight = elements.prefix(8).map(\.priority)
    var counts: [Int: Int] = [:]
    for element in elements { counts[element.priority, default: 0] += 1 }
    let countsText = levels.map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: " ")
    print("first 8 priorities: \(firstEight.map(String.init).joined(separator: ","))")
    print("counts: \(countsText)")
    guard firstEight == [5, 20, 10, 1, 10, 10, 5, 1], countsText == "1=249251 5=250760 10=249868 20=250121" else {
        print("FAILED: the generated priorities do not match WORKLOADS.md")
        throw W1Failure.generator
    }

    var pushSeconds: [Double] = []
    var popSeconds: [Double] = []
    var pushCPUSeconds: [Double] = []
    var popCPUSeconds: [Double] = []
    for run in 0...7 {
        var queue = PriorityQueue<W1Entry>()
        var popped: [W1Entry] = []
        popped.reserveCapacity(n)

        let pushStart = ContinuousClock.now
        let pushStartCPU = threadCPUSeconds()
        for element in elements { queue.push(element) }
        let pushEnd = ContinuousClock.now
        let pushEndCPU = threadCPUSeconds()
        while let element = queue.popMax() { popped.append(element) }
        let popEnd = ContinuousClock.now
        let popEndCPU = threadCPUSeconds()

        try verify(popped, against: counts)
        if run > 0 {  // run 0 is the discarded warm-up
            pushSeconds.append(seconds(pushEnd - pushStart))
            popSeconds.append(seconds(popEnd - pushEnd))
            pushCPUSeconds.append(pushEndCPU - pushStartCPU)
            popCPUSeconds.append(popEndCPU - pushEndCPU)
        }
    }

    func report(_ name: String, _ values: [Double]) {
        let perElement = values.map { $0 * 1e9 / Double(n) }
        print("\(name): median \(fixed(median(perElement), 2)) ns, min \(fixed(perElement.min()!, 2)) ns, "
            + "max \(fixed(perElement.max()!, 2)) ns per element (\(values.count) runs after 1 warm-up)")
    }
    report("push (wall)", pushSeconds)
    report("pop  (wall)", popSeconds)
    // On a shared machine the wall clock also counts time the thread spent descheduled.
    report("push (CPU) ", pushCPUSeconds)
    report("pop  (CPU) ", popCPUSeconds)
}

/// Why W1 stopped.
enum W1Failure: Error {
    case generator, order(Int), counts
}

/// Checks that every adjacent pair is in service order and that the per-priority counts match.
private func verify(_ popped: [W1Entry], against counts: [Int: Int]) throws {
    guard popped.count == 1_000_000 else { throw W1Failure.counts }
    for index in 1..<popped.count where popped[index - 1] < popped[index] {
        print("FAILED: out of order at \(index)")
        throw W1Failure.order(index)
    }
    var seen: [Int: Int] = [:]
    for element in popped { seen[element.priority, default: 0] += 1 }
    guard seen == counts else {
        print("FAILED: per-priority counts differ")
        throw W1Failure.counts
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// The CPU time this thread has used, in seconds (unaffected by time spent descheduled).
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
