import Glibc
@testable import HTTPServer
import Testing

@Suite(.timeLimit(.minutes(1))) struct HTTPServerTests {
    static let responders: [any HTTPResponder] = [EchoResponder(), ImmediateEchoResponder()]

    @Test(arguments: responders)
    func answersARequest(responder: any HTTPResponder) async throws {
        try await withServer(responder) { port, _ in
            let response = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /hello?name=x HTTP/1.1\r\nHost: localhost\r\n\r\n")
                return client.readResponse()
            }
            #expect(response?.status == 200)
            #expect(response?.headers["x-path"] == "/hello")
            #expect(response?.headers["x-query"] == "name=x")
            #expect(response?.headers["x-remote"]?.hasPrefix("127.0.0.1:") == true)
            #expect(response?.headers["content-length"] == "11")
            #expect(response?.headers["date"]?.hasSuffix(" GMT") == true)
            #expect(response?.text == "{\"ok\":true}")
        }
    }

    @Test(arguments: responders)
    func keepsTheConnectionAlive(responder: any HTTPResponder) async throws {
        try await withServer(responder) { port, _ in
            let statuses = try await onThread {
                let client = try TestClient(port: port)
                return (0..<5).map { index -> String? in
                    client.send("POST /n/\(index) HTTP/1.1\r\nContent-Length: 1\r\n\r\n\(index)")
                    return client.readResponse()?.text
                }
            }
            #expect(statuses == ["0", "1", "2", "3", "4"])
        }
    }

    @Test(arguments: responders)
    func answersPipelinedRequestsInOrder(responder: any HTTPResponder) async throws {
        try await withServer(responder) { port, _ in
            let paths = try await onThread {
                let client = try TestClient(port: port)
                let requests = (0..<10).map { "GET /p\($0) HTTP/1.1\r\nHost: h\r\n\r\n" }.joined()
                client.send(requests + "POST /body HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nHEAD /head HTTP/1.1\r\n\r\n")
                var paths = (0..<11).map { _ in client.readResponse()?.headers["x-path"] }
                paths.append(client.readResponse(head: true)?.headers["x-path"])
                return paths
            }
            #expect(paths == (0..<10).map { "/p\($0)" } + ["/body", "/head"])
        }
    }

    @Test func headSendsLengthButNoBody() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (head, next) = try await onThread {
                let client = try TestClient(port: port)
                client.send("HEAD /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n")
                return (client.readResponse(head: true), client.readResponse())
            }
            #expect(head?.headers["content-length"] == "11")
            #expect(head?.body.isEmpty == true)
            #expect(next?.headers["x-path"] == "/y")
        }
    }

    @Test func decodesAChunkedBodyArrivingInPieces() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let response = try await onThread {
                let client = try TestClient(port: port)
                client.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                client.send("lo\r\n")
                client.send("6\r\n world\r\n0\r\n\r\n")
                return client.readResponse()
            }
            #expect(response?.status == 200)
            #expect(response?.text == "hello world")
        }
    }

    @Test func answersExpectContinueBeforeTheBody() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (interim, final) = try await onThread {
                let client = try TestClient(port: port)
                client.send("POST /e HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
                let interim = client.readResponse()
                client.send("body")
                return (interim, client.readResponse())
            }
            #expect(interim?.status == 100)
            #expect(final?.status == 200)
            #expect(final?.text == "body")
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (plain, closed, kept, second) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /a HTTP/1.0\r\n\r\n")
                let plain = client.readResponse()
                let closed = client.waitForClose()
                let other = try TestClient(port: port)
                other.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let kept = other.readResponse()
                other.send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                return (plain, closed, kept, other.readResponse())
            }
            #expect(plain?.headers["connection"] == "close")
            #expect(closed)
            #expect(kept?.headers["connection"] == "keep-alive")
            #expect(second?.headers["x-path"] == "/c")
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer(ImmediateEchoResponder()) { port, _ in
            let (response, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\n\r\n")
                return (client.readResponse(), client.waitForClose())
            }
            #expect(response?.headers["connection"] == "close")
            #expect(closed)
        }
    }

    @Test func noContentHasNoLengthOrBody() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (empty, next) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /status/204 HTTP/1.1\r\n\r\nGET /status/404 HTTP/1.1\r\n\r\n")
                return (client.readResponse(), client.readResponse())
            }
            #expect(empty?.status == 204)
            #expect(empty?.headers["content-length"] == nil)
            #expect(next?.status == 404)
            #expect(next?.text == "status")
        }
    }

    @Test func servesTwoHundredConcurrentConnections() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let bodies = try await onThread {
                let clients = try (0..<200).map { _ in try TestClient(port: port) }
                for (index, client) in clients.enumerated() {
                    client.send("POST /c HTTP/1.1\r\nContent-Length: \(String(index).utf8.count)\r\n\r\n\(index)")
                }
                return clients.map { $0.readResponse()?.text }
            }
            #expect(bodies == (0..<200).map { String($0) })
        }
    }

    @Test func connectionsAreSpreadOverTheLoops() async throws {
        try await withServer(EchoResponder(), eventLoops: 2) { port, server in
            let clients = try await onThread {
                try (0..<20).map { _ in
                    let client = try TestClient(port: port)
                    client.send("GET / HTTP/1.1\r\n\r\n")
                    _ = client.readResponse()
                    return ClientBox(client)
                }
            }
            let counts = await server.openConnectionCounts()
            #expect(counts.reduce(0, +) == 20)
            #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 2)
            withExtendedLifetime(clients) {}
        }
    }

    @Test func startTwiceThrows() async throws {
        try await withServer(EchoResponder()) { _, server in
            let error = #expect(throws: HTTPServerError.self) { try server.start() }
            #expect(error?.code == .alreadyStarted)
        }
    }

    @Test func rejectsAnInvalidHost() {
        let server = HTTPServer(configuration: .init(host: "not-an-ip"), responder: EchoResponder())
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.code == .invalidAddress)
    }
}

/// A responder whose body size is set by the path (`/bytes/N`).
struct SizedResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let size = Int(request.path.dropFirst("/bytes/".count)) ?? 0
        return HTTPResponse(body: [UInt8](repeating: UInt8(ascii: "s"), count: size))
    }
}

@Suite(.timeLimit(.minutes(1))) struct HTTPServerWritingTests {
    @Test(arguments: [true, false])
    func largeResponsesArriveWhole(onLoop: Bool) async throws {
        let server = HTTPServer(configuration: .init(port: 0, eventLoops: 1, respondersRunOnEventLoops: onLoop), responder: SizedResponder())
        let port = try server.start()
        let sizes = try await onThread {
            // A generous receive timeout: 8 MB through a debug build on a busy machine takes a while.
            let client = try TestClient(port: port, receiveTimeout: 30)
            client.send("GET /bytes/8000000 HTTP/1.1\r\n\r\nGET /bytes/3 HTTP/1.1\r\n\r\n")
            return [client.readResponse()?.body.count, client.readResponse()?.body.count]
        }
        await server.shutdown()
        #expect(sizes == [8_000_000, 3])
    }

    @Test func aClientThatNeverReadsIsCutOffByTheWriteTimeout() async throws {
        let timeouts = HTTPServer.Timeouts(write: .milliseconds(200))
        try await withServer(SizedResponder(), timeouts: timeouts) { port, _ in
            let reset = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /bytes/50000000 HTTP/1.1\r\n\r\n")
                // Read nothing; the server gives up after the write timeout and resets the connection.
                var entry = pollfd(fd: client.fd, events: 0, revents: 0)  // POLLERR / POLLHUP are always reported
                return poll(&entry, 1, 20_000) == 1 && entry.revents & Int16(POLLERR | POLLHUP) != 0
            }
            #expect(reset)
        }
    }

    @Test func responderCanAskToClose() async throws {
        struct Closing: HTTPResponder {
            func respond(to request: HTTPRequest) async -> HTTPResponse { HTTPResponse(headers: ["Connection": "close"]) }
        }
        try await withServer(Closing()) { port, _ in
            let (response, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET / HTTP/1.1\r\n\r\n")
                return (client.readResponse(), client.waitForClose())
            }
            #expect(response?.headers["connection"] == "close")
            #expect(closed)
        }
    }
}

/// Numbers requests through an actor, hopping off and back onto the loop for every request.
struct CountingResponder: HTTPResponder {
    actor Counter {
        var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
    let counter = Counter()

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let number = await counter.next()
        await Task.yield()
        return .text(String(number))
    }
}

@Suite(.timeLimit(.minutes(1))) struct HTTPServerConcurrencyTests {
    @Test(arguments: [true, false])
    func responderCallingAnActorFromManyConnections(onLoop: Bool) async throws {
        let server = HTTPServer(configuration: .init(port: 0, eventLoops: 2, respondersRunOnEventLoops: onLoop), responder: CountingResponder())
        let port = try server.start()
        let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await onThread {
                        let client = try TestClient(port: port)
                        return (0..<10).compactMap { _ -> Int? in
                            client.send("GET /n HTTP/1.1\r\n\r\n")
                            return client.readResponse().flatMap { Int($0.text) }
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        await server.shutdown()
        #expect(numbers.sorted() == Array(1...100))
    }
}
