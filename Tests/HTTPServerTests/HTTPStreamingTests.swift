import Glibc
@testable import HTTPServer
import Synchronization
import Testing

/// A responder that answers `/stream` with a body stream handed to the test, everything else with 200 "ok".
final class StreamingResponder: HTTPResponder, Sendable {
    let streams = Mutex<[HTTPBodyStream]>([])
    let limit: Int

    init(limit: Int = 1 << 20) { self.limit = limit }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/stream" else { return .text("ok") }
        let stream = HTTPBodyStream(maxBufferedBytes: limit)
        _ = stream.write(Array("first\n".utf8))  // written before the response reaches the server
        streams.withLock { $0.append(stream) }
        return HTTPResponse(headers: ["Content-Type": "text/event-stream"], stream: stream)
    }

    /// Waits (polling the lock, not the clock of the server) until `count` streams were opened.
    func waitForStreams(_ count: Int) async -> [HTTPBodyStream] {
        while true {
            let current = streams.withLock { $0 }
            if current.count >= count { return current }
            await Task.yield()
        }
    }
}

/// Reads a chunked body off a raw socket.
extension TestClient {
    func readRaw(until marker: String) -> String? {
        var collected: [UInt8] = []
        while !String(decoding: collected, as: UTF8.self).contains(marker) {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            guard n > 0 else { return nil }
            collected += chunk[0..<n]
        }
        return String(decoding: collected, as: UTF8.self)
    }
}

@Suite(.timeLimit(.minutes(1))) struct HTTPStreamingTests {
    @Test func aStreamIsSentChunkedAndEndsWithTheLastChunk() async throws {
        let responder = StreamingResponder()
        try await withServer(responder) { port, _ in
            let client = try TestClient(port: port)
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = try await onThread { client.readRaw(until: "first\n\r\n") }
            #expect(head?.contains("Transfer-Encoding: chunked\r\n") == true)
            #expect(head?.contains("Connection: close\r\n") == true)
            #expect(head?.contains("Content-Length") == false)
            #expect(head?.hasSuffix("\r\n\r\n6\r\nfirst\n\r\n") == true)
            let stream = await responder.waitForStreams(1)[0]
            #expect(stream.write(Array("second".utf8)) == .accepted)
            stream.finish()
            let rest = try await onThread { client.readRaw(until: "0\r\n\r\n") }
            #expect(rest == "6\r\nsecond\r\n0\r\n\r\n")
            let closedByServer = try await onThread { client.waitForClose() }
            #expect(closedByServer)
            #expect(stream.write(Array("late".utf8)) == .closed)
        }
    }

    @Test func http10GetsTheRawBodyUntilClose() async throws {
        let responder = StreamingResponder()
        try await withServer(responder) { port, _ in
            let client = try TestClient(port: port)
            client.send("GET /stream HTTP/1.0\r\n\r\n")
            let head = try await onThread { client.readRaw(until: "first\n") }
            #expect(head?.contains("Transfer-Encoding") == false)
            #expect(head?.hasSuffix("\r\n\r\nfirst\n") == true)
            await responder.waitForStreams(1)[0].finish()
            let closedByServer = try await onThread { client.waitForClose() }
            #expect(closedByServer)
        }
    }

    @Test func aClientLeavingClosesTheStream() async throws {
        let responder = StreamingResponder()
        try await withServer(responder) { port, server in
            let closed = Mutex(false)
            do {
                let client = try TestClient(port: port)
                client.send("GET /stream HTTP/1.1\r\n\r\n")
                _ = try await onThread { client.readRaw(until: "first") }
                let stream = await responder.waitForStreams(1)[0]
                stream.onClose { closed.withLock { $0 = true } }
            }  // the client's socket closes here
            let stream = await responder.waitForStreams(1)[0]
            // The close callbacks run just after `isClosed` turns true, so wait for the callback
            // itself (the suite's time limit bounds the wait).
            while !closed.withLock({ $0 }), !Task.isCancelled { await Task.yield() }
            #expect(stream.isClosed)
            #expect(stream.write([1]) == .closed)
            while await server.openConnectionCount() != 0, !Task.isCancelled { await Task.yield() }
        }
    }

    @Test(.disabled("hangs under load: the write-timeout cut-off of a stalled stream is not proven by this test yet (scripts/test-events.sh checks it end to end)"))
    func aClientThatNeverReadsFillsTheBoundedBufferAndIsCutOff() async throws {
        let responder = StreamingResponder(limit: 64 * 1024)
        let timeouts = HTTPServer.Timeouts(write: .milliseconds(300))
        try await withServer(responder, timeouts: timeouts) { port, server in
            let client = try TestClient(port: port)
            var size: Int32 = 4096
            setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            client.send("GET /stream HTTP/1.1\r\n\r\n")
            let stream = await responder.waitForStreams(1)[0]
            let block = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
            var results: [HTTPBodyStream.WriteResult] = []
            while results.last != .full && results.count < 100_000 {
                results.append(stream.write(block))
                await Task.yield()
            }
            #expect(results.last == .full)  // bounded: the kernel buffers plus 64 KiB, not the 100,000 blocks
            #expect(stream.bufferedBytes <= 64 * 1024)
            while !stream.isClosed, !Task.isCancelled { await Task.yield() }  // the write timeout cut it off
            #expect(stream.write(block) == .closed)
            while await server.openConnectionCount() != 0, !Task.isCancelled { await Task.yield() }
        }
    }

    @Test func holdsAThousandIdleStreams() async throws {
        let responder = StreamingResponder()
        try await withServer(responder) { port, server in
            var clients: [TestClient] = []
            for _ in 0..<1000 {
                let client = try TestClient(port: port)
                client.send("GET /stream HTTP/1.1\r\n\r\n")
                clients.append(client)
            }
            let streams = await responder.waitForStreams(1000)
            #expect(await server.openConnectionCount() == 1000)
            // Ordinary requests are still answered at once.
            let other = try TestClient(port: port)
            other.send("GET /x HTTP/1.1\r\n\r\n")
            let answer = try await onThread { other.readResponse()?.text }
            #expect(answer == "ok")
            for stream in streams { stream.finish() }
            for client in clients.prefix(3) {
                let reader = client
                let rest = try await onThread { reader.readRaw(until: "0\r\n\r\n") }
                #expect(rest != nil)
            }
        }
    }
}
