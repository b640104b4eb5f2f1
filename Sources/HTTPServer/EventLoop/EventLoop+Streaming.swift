import Glibc

/// Streamed responses (``HTTPResponse/stream``): the head goes out at once, then every batch of
/// bytes the responder writes becomes one chunk; the connection closes when the stream finishes.
extension EventLoop {
    /// Sends the head of a streamed response and connects its stream to the connection.
    func startStream(_ connection: Connection, _ response: HTTPResponse, _ stream: HTTPBodyStream, context: ResponseContext, now: UInt64) {
        let chunked = !context.http10
        serializer.appendStreamHead(response, chunked: chunked, to: &connection.output)
        // A stream is the last response of its connection: pipelined requests behind it are dropped.
        connection.input = []
        connection.inputStart = 0
        connection.scanFrom = 0
        connection.since = now
        let status = response.status
        if context.isHead || status < 200 || status == 204 || status == 304 || shuttingDown {
            if chunked && !context.isHead && status >= 200 && status != 204 && status != 304 {
                connection.output.append(contentsOf: Self.lastChunk)
            }
            connection.state = .idle
            connection.closeAfterWrite = true
            stream.connectionClosed()
            return
        }
        connection.state = .streaming
        connection.streamChunked = chunked
        connection.stream = stream
        let hasPending = stream.attach { [self] in self.post(.streamReady(connection)) }
        if hasPending { pumpStream(connection) }
    }

    /// Moves what the stream's writer queued into the connection's output, framed as one chunk.
    func pumpStream(_ connection: Connection) {
        guard let stream = connection.stream else { return }
        let (bytes, finished) = stream.take()
        if !bytes.isEmpty {
            if connection.streamChunked {
                connection.output.append(contentsOf: Array(String(bytes.count, radix: 16).utf8))
                connection.output.append(contentsOf: Self.crlf)
                connection.output.append(contentsOf: bytes)
                connection.output.append(contentsOf: Self.crlf)
            } else {
                connection.output.append(contentsOf: bytes)
            }
        }
        if finished {
            if connection.streamChunked { connection.output.append(contentsOf: Self.lastChunk) }
            connection.stream = nil
            connection.state = .idle
            connection.closeAfterWrite = true
            stream.connectionClosed()
        }
    }

    static let crlf: [UInt8] = [13, 10]
    static let lastChunk = Array("0\r\n\r\n".utf8)
}
