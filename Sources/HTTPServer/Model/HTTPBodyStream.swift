import Synchronization

/// The body of a streamed response: the responder writes to it, from any thread, for as long as it
/// likes; the server sends what was written as chunks (`Transfer-Encoding: chunked`) and closes the
/// connection when the stream is finished.
///
/// Return it in ``HTTPResponse/stream``; writes made before the response reaches the server are kept
/// and sent first. The buffer is bounded: bytes written but not yet taken by the client count
/// against ``maxBufferedBytes``, and a write beyond it is refused with ``WriteResult/full`` (a
/// client that stopped reading cannot make the server hold unbounded output; one that makes no
/// progress for the write timeout is disconnected). Idle streams cost a socket and this object.
///
/// ```swift
/// let stream = HTTPBodyStream()
/// stream.onClose { subscription.cancel() }
/// _ = stream.write(Array("data: hello\n\n".utf8))
/// return HTTPResponse(headers: ["Content-Type": "text/event-stream"], stream: stream)
/// ```
public final class HTTPBodyStream: Sendable {
    /// What became of a write.
    public enum WriteResult: Sendable, Hashable {
        /// The bytes will be sent.
        case accepted
        /// The buffer limit would be exceeded: nothing was written (the client is not reading fast enough).
        case full
        /// The connection is gone or the stream was finished: nothing will be sent any more.
        case closed
    }

    struct State {
        var pending: [UInt8] = []
        /// Bytes taken by the connection and not yet written to the socket.
        var unsent = 0
        var finished = false
        var closed = false
        var wakeScheduled = false
        var wake: (@Sendable () -> Void)?
        var onClose: [@Sendable () -> Void] = []
    }

    /// The most bytes that may wait for the client (written here or taken by the connection but
    /// unsent); 1 MiB by default.
    public let maxBufferedBytes: Int
    let state = Mutex(State())

    /// Creates a stream.
    /// - Parameter maxBufferedBytes: the buffer limit (at least 1 KiB).
    public init(maxBufferedBytes: Int = 1 << 20) {
        self.maxBufferedBytes = max(1024, maxBufferedBytes)
    }

    /// Queues bytes for the client (one chunk or part of one); never blocks.
    /// - Parameter bytes: the bytes.
    /// - Returns: ``WriteResult/accepted``, ``WriteResult/full`` (nothing written) or ``WriteResult/closed``.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> WriteResult {
        append(bytes, ignoringLimit: false, finish: false)
    }

    /// Queues final bytes even beyond the buffer limit, then finishes the stream: for a last
    /// message (an overflow notice, say) after ``write(_:)`` answered ``WriteResult/full``.
    /// - Parameter bytes: the bytes.
    /// - Returns: ``WriteResult/accepted``, or ``WriteResult/closed`` when it was too late.
    @discardableResult
    public func finish(with bytes: [UInt8]) -> WriteResult {
        append(bytes, ignoringLimit: true, finish: true)
    }

    /// Ends the response once everything written was sent; the connection is then closed.
    public func finish() {
        _ = append([], ignoringLimit: true, finish: true)
    }

    /// Whether the connection is gone (the client left, was cut off, or the server stopped) or the
    /// stream was finished.
    public var isClosed: Bool { state.withLock { $0.closed || $0.finished } }

    /// Bytes written that the client has not taken yet.
    public var bufferedBytes: Int { state.withLock { $0.pending.count + $0.unsent } }

    /// Registers a callback for when the connection closes (at once if it already has). It runs on
    /// an event-loop thread: keep it short and non-blocking.
    public func onClose(_ body: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onClose.append(body)
            return false
        }
        if runNow { body() }
    }

    private func append(_ bytes: [UInt8], ignoringLimit: Bool, finish: Bool) -> WriteResult {
        let (result, wake) = state.withLock { state -> (WriteResult, (@Sendable () -> Void)?) in
            guard !state.closed, !state.finished else { return (.closed, nil) }
            let waiting = state.pending.count + state.unsent
            if !ignoringLimit, waiting > 0, waiting + bytes.count > maxBufferedBytes { return (.full, nil) }
            state.pending.append(contentsOf: bytes)
            if finish { state.finished = true }
            guard let wake = state.wake, !state.wakeScheduled else { return (.accepted, nil) }
            state.wakeScheduled = true
            return (.accepted, wake)
        }
        wake?()
        return result
    }

    // MARK: The event loop's side

    /// Connects the stream to its connection: `wake` asks the loop to take pending bytes.
    /// - Returns: whether there is something to take already.
    func attach(wake: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            state.wake = wake
            return !state.pending.isEmpty || state.finished
        }
    }

    /// Takes the pending bytes (and whether the stream is finished).
    func take() -> (bytes: [UInt8], finished: Bool) {
        state.withLock { state in
            state.wakeScheduled = false
            let bytes = state.pending
            state.unsent += bytes.count
            state.pending = []
            return (bytes, state.finished)
        }
    }

    /// Records how many taken bytes the socket has not accepted yet.
    func update(unsent: Int) {
        state.withLock { $0.unsent = unsent }
    }

    /// The connection closed: nothing more will be sent; runs the close callbacks.
    func connectionClosed() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.closed else { return [] }
            state.closed = true
            state.pending = []
            state.wake = nil
            defer { state.onClose = [] }
            return state.onClose
        }
        for callback in callbacks { callback() }
    }
}
