/// A priority queue that serves its greatest element first.
///
/// It is a 4-ary implicit heap kept in one contiguous array: a node's four children sit next to
/// each other (often in one cache line), so the tree is half as deep as a binary heap's and a pop
/// touches about half as many cache lines. Elements are moved with "hole" sifting (one write per
/// level instead of a swap), and a pop sinks the hole to a leaf before placing the last element
/// (Floyd's bottom-up variant), which saves a comparison per level.
///
/// "Greatest" is decided by `Comparable`: define `<` so that `a < b` means *b is served before a*.
/// Elements that compare equal come out in an unspecified order; to get FIFO among equals, add a
/// sequence number to the element (as ``InMemoryTaskStore`` does with task ids).
///
/// ```swift
/// var queue = PriorityQueue<Int>()
/// queue.push(3); queue.push(7); queue.push(5)
/// queue.popMax()   // 7
/// ```
public struct PriorityQueue<Element: Comparable> {
    /// The heap, in level order: the children of index `i` are `4i+1 ... 4i+4`.
    @usableFromInline
    internal var storage: ContiguousArray<Element>

    /// Receives a byte of each prefetched cache line so that the compiler keeps those loads (see
    /// ``sinkHoleAndPlace(_:in:)``); its value means nothing.
    @usableFromInline
    internal var prefetchSink: UInt8 = 0

    /// Creates an empty queue.
    /// - Complexity: O(1).
    @inlinable
    public init() {
        storage = []
    }

    /// Creates a queue holding the elements of `elements` (Floyd's bottom-up heap construction).
    /// - Parameter elements: the elements to hold, in any order.
    /// - Complexity: O(*n*), where *n* is the number of elements.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        storage = ContiguousArray(elements)
        guard storage.count > 1 else { return }
        var index = (storage.count - 2) / 4
        while index >= 0 {
            siftDown(from: index)
            index -= 1
        }
    }

    /// The number of elements in the queue.
    /// - Complexity: O(1).
    @inlinable
    public var count: Int { storage.count }

    /// Whether the queue is empty.
    /// - Complexity: O(1).
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The number of elements the queue can hold without reallocating.
    /// - Complexity: O(1).
    @inlinable
    public var capacity: Int { storage.capacity }

    /// The element that ``popMax()`` would return, or `nil` when the queue is empty.
    /// - Complexity: O(1).
    @inlinable
    public var max: Element? { storage.first }

    /// The elements in heap (not service) order.
    /// - Complexity: O(1).
    @inlinable
    public var unordered: ContiguousArray<Element> { storage }

    /// Makes room for at least `minimumCapacity` elements.
    /// - Parameter minimumCapacity: the number of elements to make room for.
    /// - Complexity: O(*n*) when it reallocates, where *n* is the number of elements.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        storage.reserveCapacity(minimumCapacity)
    }

    /// Adds an element.
    /// - Parameter element: the element to add.
    /// - Complexity: O(log *n*), where *n* is the number of elements (amortised over growth).
    @inlinable
    public mutating func push(_ element: Element) {
        storage.append(element)
        siftUp(element, from: storage.count - 1)
    }

    /// Removes and returns the greatest element (the one served first), or `nil` when empty.
    /// - Returns: the greatest element, or `nil`.
    /// - Complexity: O(log *n*), where *n* is the number of elements.
    @inlinable
    public mutating func popMax() -> Element? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let (top, sink) = storage.withUnsafeMutableBufferPointer { buffer in
            let top = buffer[0]
            return (top, Self.sinkHoleAndPlace(last, in: buffer))
        }
        prefetchSink = sink
        return top
    }

    /// Removes and returns the greatest element if `predicate` accepts it.
    /// - Parameter predicate: decides whether the current maximum is taken.
    /// - Returns: the removed element, or `nil` when the queue is empty or the predicate refused.
    /// - Complexity: O(log *n*), where *n* is the number of elements.
    @inlinable
    public mutating func popMax(if predicate: (Element) throws -> Bool) rethrows -> Element? {
        guard let top = storage.first, try predicate(top) else { return nil }
        return popMax()
    }

    /// Removes every element.
    /// - Parameter keepCapacity: whether to keep the storage for later pushes.
    /// - Complexity: O(*n*), where *n* is the number of elements.
    @inlinable
    public mutating func removeAll(keepingCapacity keepCapacity: Bool = false) {
        storage.removeAll(keepingCapacity: keepCapacity)
    }
}

extension PriorityQueue: Sendable where Element: Sendable {}

extension PriorityQueue {
    /// Moves the hole at `index`, where `element` belongs, up until its parent is not smaller.
    @inlinable
    internal mutating func siftUp(_ element: Element, from index: Int) {
        storage.withUnsafeMutableBufferPointer { buffer in
            var hole = index
            while hole > 0 {
                let parent = (hole &- 1) >> 2
                let parentElement = buffer[parent]
                guard parentElement < element else { break }
                buffer[hole] = parentElement
                hole = parent
            }
            buffer[hole] = element
        }
    }

    /// Restores the heap below `index` (used by heap construction).
    @inlinable
    internal mutating func siftDown(from index: Int) {
        storage.withUnsafeMutableBufferPointer { buffer in
            let count = buffer.count
            let element = buffer[index]
            var hole = index
            while true {
                let first = hole &* 4 &+ 1
                guard first < count else { break }
                var best = first
                let end = Swift.min(first &+ 4, count)
                var child = first &+ 1
                while child < end {
                    if buffer[best] < buffer[child] { best = child }
                    child &+= 1
                }
                guard element < buffer[best] else { break }
                buffer[hole] = buffer[best]
                hole = best
            }
            buffer[hole] = element
        }
    }

    /// Pop's second half: the root is vacant; sinks the hole along the greatest children to a leaf,
    /// then places `element` (the former last element) there and sifts it up.
    ///
    /// While it compares a node's four children it also touches the sixteen grandchildren (four
    /// cache lines for 16-byte elements), so that the next level's loads are already under way: a
    /// software prefetch, which roughly halves the cache-miss cost of pops on large heaps.
    /// - Returns: a byte derived from the prefetched lines, to be stored where the optimiser must
    ///   keep it.
    @inlinable
    internal static func sinkHoleAndPlace(
        _ element: Element, in buffer: UnsafeMutableBufferPointer<Element>
    ) -> UInt8 {
        let count = buffer.count
        let base = UnsafeRawPointer(buffer.baseAddress!)
        let stride = MemoryLayout<Element>.stride
        let lineStep = Swift.max(1, 64 / Swift.max(1, stride))
        var sink: UInt8 = 0
        var hole = 0
        // Full nodes: all four children exist.
        while true {
            let first = hole &* 4 &+ 1
            guard first &+ 3 < count else { break }
            let grandchildren = first &* 4 &+ 1
            if grandchildren &+ 15 < count {
                var offset = 0
                while offset < 16 {
                    sink &+= base.load(fromByteOffset: (grandchildren &+ offset) &* stride, as: UInt8.self)
                    offset &+= lineStep
                }
            }
            var best = first
            var bestElement = buffer[first]
            let c1 = buffer[first &+ 1]
            let c2 = buffer[first &+ 2]
            let c3 = buffer[first &+ 3]
            if bestElement < c1 { best = first &+ 1; bestElement = c1 }
            var best2 = first &+ 2
            var best2Element = c2
            if c2 < c3 { best2 = first &+ 3; best2Element = c3 }
            if bestElement < best2Element { best = best2; bestElement = best2Element }
            buffer[hole] = bestElement
            hole = best
        }
        // A last node with one to three children.
        let first = hole &* 4 &+ 1
        if first < count {
            var best = first
            var child = first &+ 1
            while child < count {
                if buffer[best] < buffer[child] { best = child }
                child &+= 1
            }
            buffer[hole] = buffer[best]
            hole = best
        }
        // Sift the element up from the leaf.
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            let parentElement = buffer[parent]
            guard parentElement < element else { break }
            buffer[hole] = parentElement
            hole = parent
        }
        buffer[hole] = element
        return sink
    }
}
