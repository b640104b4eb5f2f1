/// One client connection, owned by (and only touched on) its event loop's thread.
final class Connection: @unchecked Sendable {
    // Confined to the owning EventLoop thread; the only cross-thread use is passing the reference through the
    // loop's mailbox back to that same thread.

    /// Where the connection is in its request/response cycle.
    enum State {
        /// Waiting for the first byte of a request (idle timeout applies).
        case idle
        /// Part of a request has arrived (read timeout applies from `requestStart`).
        case reading
        /// A request is with an asynchronous responder; input is buffered, not parsed.
        case responding
        /// The final response was sent and the write side shut; input is read and discarded until EOF.
        case draining
        /// A streamed response is being sent; input is read and discarded, EOF closes.
        case streaming
    }

    let fd: Int32
    let remoteAddress: String
    var state: State = .idle
    /// Unconsumed input starting at `inputStart`.
    var input: [UInt8] = []
    var inputStart = 0
    /// Where the parser's search for the end of the head may resume.
    var scanFrom = 0
    /// Bytes waiting to be written, from `outputStart`.
    var output: [UInt8] = []
    var outputStart = 0
    /// When the current state's timer started (monotonic nanoseconds).
    var since: UInt64
    /// When output last became blocked without progress since, or 0.
    var writeBlockedSince: UInt64 = 0
    /// Close (after draining output) once the current response is written.
    var closeAfterWrite = false
    /// The peer closed its side.
    var readClosed = false
    /// `100 Continue` was sent for the current request.
    var sentContinue = false
    /// The epoll events currently registered.
    var interest: UInt32
    var closed = false
    /// The body stream of the response being streamed (state `.streaming`).
    var stream: HTTPBodyStream?
    /// How the streamed response is framed: chunked (HTTP/1.1) or raw until close (HTTP/1.0).
    var streamChunked = true

    init(fd: Int32, remoteAddress: String, now: UInt64, interest: UInt32) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.since = now
        self.interest = interest
        input.reserveCapacity(4096)
        output.reserveCapacity(4096)
    }

    /// Whether output is waiting to be written.
    var hasPendingOutput: Bool { outputStart < output.count }

    /// Whether unconsumed input is buffered.
    var hasPendingInput: Bool { inputStart < input.count }

    /// Drops consumed input, keeping the buffer's capacity.
    func compactInput() {
        if inputStart == input.count {
            // Keep a small buffer for the next request; give back what a large body made it grow to.
            if input.capacity > 65536 { input = [] } else { input.removeAll(keepingCapacity: true) }
            inputStart = 0
        } else if inputStart > 0 {
            input.removeSubrange(0..<inputStart)
            inputStart = 0
        }
    }
}
