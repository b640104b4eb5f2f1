import HTTPServer
import WorkerAPI

/// An ``HTTPBodyStream`` as the transport-independent ``ResponseStreamSink`` of WorkerAPI.
struct HTTPStreamSink: ResponseStreamSink {
    let stream: HTTPBodyStream

    func write(_ bytes: [UInt8]) -> ResponseStreamWrite {
        switch stream.write(bytes) {
        case .accepted: .accepted
        case .full: .full
        case .closed: .closed
        }
    }

    func finish(with bytes: [UInt8]) { stream.finish(with: bytes) }
    func finish() { stream.finish() }
    var isClosed: Bool { stream.isClosed }
    func onClose(_ body: @escaping @Sendable () -> Void) { stream.onClose(body) }
}

extension HTTPResponse {
    /// A streamed HTTP response whose body `body` writes (in its own task, ending the stream after).
    static func streaming(status: Int, headers: HTTPHeaders, _ body: ResponseStream) -> HTTPResponse {
        let stream = HTTPBodyStream(maxBufferedBytes: 1 << 20)
        let sink = HTTPStreamSink(stream: stream)
        Task {
            await body.run(sink)
            sink.finish()
        }
        return HTTPResponse(status: status, headers: headers, stream: stream)
    }
}
