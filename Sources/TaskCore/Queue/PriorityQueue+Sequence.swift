extension PriorityQueue: Sequence {
    /// Iterates over a copy of the queue in service order (greatest first), popping as it goes.
    public struct Iterator: IteratorProtocol {
        @usableFromInline
        internal var queue: PriorityQueue

        @inlinable
        internal init(queue: PriorityQueue) { self.queue = queue }

        /// The next element in service order.
        /// - Complexity: O(log *n*), where *n* is the number of elements left.
        @inlinable
        public mutating func next() -> Element? { queue.popMax() }
    }

    /// An iterator over the elements in service order; the queue itself is not changed.
    /// - Complexity: O(1) to create; a full iteration is O(*n* log *n*).
    @inlinable
    public func makeIterator() -> Iterator { Iterator(queue: self) }

    /// The number of elements.
    /// - Complexity: O(1).
    @inlinable
    public var underestimatedCount: Int { count }
}

extension PriorityQueue.Iterator: Sendable where Element: Sendable {}

extension PriorityQueue: ExpressibleByArrayLiteral {
    /// Creates a queue holding the given elements.
    /// - Complexity: O(*n*), where *n* is the number of elements.
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension PriorityQueue: CustomStringConvertible {
    /// The elements in service order.
    public var description: String {
        "PriorityQueue(\(Array(self)))"
    }
}
