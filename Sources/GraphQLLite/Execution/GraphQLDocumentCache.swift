import Synchronization

/// A small thread-safe cache of parsed and validated documents, keyed by their text.
///
/// Bounded twice: by a number of documents and by a byte budget. When either is reached, the least
/// recently used half is dropped. A document longer than ``maxDocumentBytes`` is never kept (it is
/// parsed again each time, which costs time in proportion to its size, as reading it did), so 600
/// distinct 1 MB documents cannot pin 600 MB. Share one per schema (the ``GraphQLEngine`` owns one
/// by default); a document validated against one schema is not valid for another.
public final class GraphQLDocumentCache: Sendable {
    /// The most documents kept.
    public let capacity: Int
    /// The most bytes the cache accounts for in all: each document costs ``cost(ofText:)``.
    public let maxBytes: Int
    /// The longest document text (in UTF-8 bytes) that is cached at all.
    public let maxDocumentBytes: Int
    private let state: Mutex<State>

    private struct State {
        var documents: [String: Entry] = [:]
        var clock: UInt64 = 0
        var bytes = 0
    }

    private struct Entry {
        let document: GraphQLDocument
        var lastUse: UInt64
        let cost: Int
    }

    /// Creates a cache.
    /// - Parameters:
    ///   - capacity: the most documents kept (at least 1).
    ///   - maxBytes: the byte budget of all documents kept (default 8 MiB).
    ///   - maxDocumentBytes: documents with a longer text are not cached (default 64 KiB).
    public init(capacity: Int = 256, maxBytes: Int = 8 << 20, maxDocumentBytes: Int = 64 << 10) {
        self.capacity = max(1, capacity)
        self.maxBytes = max(1, maxBytes)
        self.maxDocumentBytes = max(0, maxDocumentBytes)
        self.state = Mutex(State())
    }

    /// What a cached document is charged against ``maxBytes``: its text (the key) plus an estimate of
    /// its syntax tree, estimated at four times the text (a tree node per token, each a few dozen bytes).
    /// - Complexity: O(1).
    public static func cost(ofText text: String) -> Int {
        text.utf8.count * 5
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

    /// Stores a validated document; evicts the least recently used half when the count or the byte
    /// budget would be exceeded. A text longer than ``maxDocumentBytes`` is not stored.
    /// - Complexity: O(1) amortised; O(n log n) when it evicts.
    public func store(_ document: GraphQLDocument, for text: String) {
        guard text.utf8.count <= maxDocumentBytes else { return }
        let cost = Self.cost(ofText: text)
        guard cost <= maxBytes else { return }
        state.withLock { state in
            if state.documents[text] != nil { return }
            if state.documents.count >= capacity || state.bytes + cost > maxBytes {
                var kept: [String: Entry] = [:]
                var keptBytes = 0
                for (key, entry) in state.documents.sorted(by: { $0.value.lastUse > $1.value.lastUse }) {
                    guard kept.count < capacity / 2, keptBytes + entry.cost <= maxBytes / 2 else { break }
                    kept[key] = entry
                    keptBytes += entry.cost
                }
                state.documents = kept
                state.bytes = keptBytes
            }
            state.clock &+= 1
            state.documents[text] = Entry(document: document, lastUse: state.clock, cost: cost)
            state.bytes += cost
        }
    }

    /// The number of cached documents.
    public var count: Int { state.withLock { $0.documents.count } }

    /// The bytes the cached documents are charged (see ``cost(ofText:)``), at most ``maxBytes``.
    public var bytes: Int { state.withLock { $0.bytes } }

    /// Drops every document.
    public func removeAll() {
        state.withLock { state in
            state.documents.removeAll()
            state.bytes = 0
        }
    }
}
