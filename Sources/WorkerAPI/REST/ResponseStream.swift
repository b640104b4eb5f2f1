import Synchronization

/// What became of a write to a ``ResponseStreamSink``.
public enum ResponseStreamWrite: Sendable, Hashable {
    /// The bytes will be sent.
    case accepted
    /// The connection's buffer is full (the client reads too slowly): nothing was written.
    case full
    /// The client is gone or the stream was finished.
    case closed
}

/// Where a streamed response body goes: the HTTP server's side of a ``ResponseStream`` (for
/// `HTTPServer` an `HTTPBodyStream`). Never blocks.
public protocol ResponseStreamSink: Sendable {
    /// Queues bytes for the client.
    func write(_ bytes: [UInt8]) -> ResponseStreamWrite
    /// Queues last bytes even beyond the buffer limit and ends the response.
    func finish(with bytes: [UInt8])
    /// Ends the response.
    func finish()
    /// Whether the client is gone (or the stream finished).
    var isClosed: Bool { get }
    /// Calls `body` once the client is gone (at once if it is already).
    func onClose(_ body: @escaping @Sendable () -> Void)
}

/// A streamed response body, independent of any server: the server calls ``run`` with its sink
/// once it has sent the head, and ends the response when ``run`` returns (if it did not already).
public struct ResponseStream: Sendable {
    /// Writes the body.
    public let run: @Sendable (any ResponseStreamSink) async -> Void

    /// Creates a stream body.
    public init(_ run: @escaping @Sendable (any ResponseStreamSink) async -> Void) { self.run = run }
}

/// A sink that collects what is written, for tests and for embedding without a socket.
public final class CollectingStreamSink: ResponseStreamSink {
    private struct State {
        var bytes: [UInt8] = []
        var finished = false
        var onClose: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    private let limit: Int

    /// Creates a sink that accepts up to `limit` buffered bytes before it answers `full`.
    public init(limit: Int = .max) { self.limit = limit }

    public func write(_ bytes: [UInt8]) -> ResponseStreamWrite {
        state.withLock { state in
            if state.finished { return .closed }
            if state.bytes.count + bytes.count > limit { return .full }
            state.bytes.append(contentsOf: bytes)
            return .accepted
        }
    }

    public func finish(with bytes: [UInt8]) {
        state.withLock { state in
            if !state.finished { state.bytes.append(contentsOf: bytes) }
        }
        finish()
    }

    public func finish() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.finished else { return [] }
            state.finished = true
            defer { state.onClose = [] }
            return state.onClose
        }
        for callback in callbacks { callback() }
    }

    public var isClosed: Bool { state.withLock { $0.finished } }

    public func onClose(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.finished { return true }
            state.onClose.append(body)
            return false
        }
        if now { body() }
    }

    /// Everything written so far, as text.
    public var text: String { String(decoding: state.withLock { $0.bytes }, as: UTF8.self) }

    /// Empties the buffer (as if the client read it), keeping the stream open.
    public func drain() -> String {
        String(decoding: state.withLock { state in
            defer { state.bytes = [] }
            return state.bytes
        }, as: UTF8.self)
    }
}
