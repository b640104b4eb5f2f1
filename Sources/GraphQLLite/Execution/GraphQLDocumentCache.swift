import Synchronization

/// A small thread-safe cache of parsed and validated documents, keyed by their text.
///
/// Bounded: when full, the least recently stored half is dropped. Share one per schema (the
/// ``GraphQLEngine`` owns one by default); a document validated against one schema is not valid
/// for another.
public final class GraphQLDocumentCache: Sendable {
    /// The most documents kept.
    public let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var documents: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private struct Entry {
        let document: GraphQLDocument
        var lastUse: UInt64
    }

    /// Creates a cache.
    /// - Parameter capacity: the most documents kept (at least 1).
    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        self.state = Mutex(State())
    }

    /// The cached document for `text`, if any.
    /// - Complexity: O(1) on average (hashes the text).
    public func document(for text: String) -> GraphQLDocument? {
        state.withLock { state in
            guard var entry = state.documents[text] else { return nil }
            state.clock &+= 1
            entry.lastUse = state.clock
            state.documents[text] = entry
            return entry.document
        }
    }

    /// Stores a validated document; evicts the least recently used half when full.
    /// - Complexity: O(1) amortised; O(n log n) when it evicts.
    public func store(_ document: GraphQLDocument, for text: String) {
        state.withLock { state in
            if state.documents.count >= capacity, state.documents[text] == nil {
                let keep = state.documents.sorted { $0.value.lastUse > $1.value.lastUse }.prefix(capacity / 2)
                state.documents = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
            state.clock &+= 1
            state.documents[text] = Entry(document: document, lastUse: state.clock)
        }
    }

    /// The number of cached documents.
    public var count: Int { state.withLock { $0.documents.count } }

    /// Drops every document.
    public func removeAll() { state.withLock { $0.documents.removeAll() } }
}
