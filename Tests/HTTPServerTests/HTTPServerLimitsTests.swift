import Glibc
@testable import HTTPServer
import Testing

@Suite(.timeLimit(.minutes(1))) struct HTTPServerLimitsTests {
    /// Sends `request`, and returns the response and whether the server then closed the connection.
    func exchange(_ request: [UInt8], port: Int) async throws -> (WireResponse?, Bool) {
        try await onThread {
            let client = try TestClient(port: port)
            client.send(request)
            return (client.readResponse(), client.waitForClose())
        }
    }

    @Test func oversizeRequestLineGets414AndClose() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (response, closed) = try await exchange(Array("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\n\r\n".utf8), port: port)
            #expect(response?.status == 414)
            #expect(response?.headers["connection"] == "close")
            #expect(closed)
        }
    }

    @Test func oversizeHeadersGet431() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (response, closed) = try await exchange(Array("GET / HTTP/1.1\r\nX-Big: \(String(repeating: "b", count: 33_000))\r\n\r\n".utf8), port: port)
            #expect(response?.status == 431)
            #expect(closed)
            let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
            let (many, _) = try await exchange(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8), port: port)
            #expect(many?.status == 431)
        }
    }

    @Test func oversizeBodyGets413BeforeTheBodyIsSent() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (response, closed) = try await exchange(Array("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n".utf8), port: port)
            #expect(response?.status == 413)
            #expect(response?.text == #"{"statusCode":413,"error":"Payload Too Large","message":"Content-Length 1048577 exceeds 1048576 bytes"}"#)
            #expect(closed)
        }
    }

    @Test func oversizeChunkedBodyGets413WhileStreaming() async throws {
        try await withServer(EchoResponder(), limits: .init(maxBodyBytes: 1000)) { port, _ in
            let chunk = "100\r\n" + String(repeating: "z", count: 256) + "\r\n"
            let (response, closed) = try await exchange(
                Array(("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 5)).utf8), port: port)
            #expect(response?.status == 413)
            #expect(closed)
        }
    }

    @Test func bodyAtTheLimitIsAccepted() async throws {
        try await withServer(EchoResponder()) { port, _ in
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1024 * 1024)
            let response = try await onThread {
                let client = try TestClient(port: port)
                client.send(Array("POST /big HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
                return client.readResponse()
            }
            #expect(response?.status == 200)
            #expect(response?.body.count == body.count)
        }
    }

    static let malformed: [String] = [
        "GARBAGE\r\n\r\n",
        "GET / HTTP/1.1 x\r\n\r\n",
        "GET /\0 HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
    ]

    @Test(arguments: malformed)
    func malformedRequestGets400AndClose(request: String) async throws {
        try await withServer(EchoResponder()) { port, _ in
            let (response, closed) = try await exchange(Array(request.utf8), port: port)
            #expect(response?.status == 400)
            #expect(response?.headers["connection"] == "close")
            #expect(closed)
        }
    }

    @Test func malformedRequestAfterAGoodOneStillGetsTheFirstAnswer() async throws {
        try await withServer(ImmediateEchoResponder()) { port, _ in
            let (first, second, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /ok HTTP/1.1\r\n\r\nBROKEN\r\n\r\n")
                return (client.readResponse(), client.readResponse(), client.waitForClose())
            }
            #expect(first?.status == 200)
            #expect(second?.status == 400)
            #expect(closed)
        }
    }

    @Test func slowClientIsTimedOut() async throws {
        let timeouts = HTTPServer.Timeouts(read: .milliseconds(200), idle: .seconds(30))
        try await withServer(EchoResponder(), timeouts: timeouts) { port, _ in
            let (response, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /slow HTTP/1.1\r\nHost: x")  // ...and stall
                return (client.readResponse(), client.waitForClose())
            }
            #expect(response?.status == 408)
            #expect(closed)
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        let timeouts = HTTPServer.Timeouts(read: .seconds(30), idle: .milliseconds(200))
        try await withServer(EchoResponder(), timeouts: timeouts) { port, _ in
            let (response, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET / HTTP/1.1\r\n\r\n")
                let response = client.readResponse()
                return (response, client.waitForClose())  // send nothing more
            }
            #expect(response?.status == 200)
            #expect(closed)
        }
    }

    @Test func silentConnectionIsClosed() async throws {
        let timeouts = HTTPServer.Timeouts(read: .seconds(30), idle: .milliseconds(200))
        try await withServer(EchoResponder(), timeouts: timeouts) { port, _ in
            let closed = try await onThread { try TestClient(port: port).waitForClose() }
            #expect(closed)
        }
    }

    @Test func clientVanishingMidBodyLeavesTheServerServing() async throws {
        try await withServer(EchoResponder()) { port, server in
            let response = try await onThread {
                for _ in 0..<20 {
                    let quitter = try TestClient(port: port)
                    quitter.send("POST /upload HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 5000))
                }
                let resetter = try TestClient(port: port)
                resetter.send("POST /upload HTTP/1.1\r\nContent-Length: 100000\r\n\r\nabc")
                var linger = linger(l_onoff: 1, l_linger: 0)  // close with RST
                setsockopt(resetter.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                let client = try TestClient(port: port)
                client.send("GET /still-here HTTP/1.1\r\nConnection: close\r\n\r\n")
                let response = client.readResponse()
                _ = client.waitForClose()
                return response
            }
            #expect(response?.headers["x-path"] == "/still-here")
            // Every connection is gone: nothing leaked.
            #expect(await server.openConnectionCount() == 0)
        }
    }

    @Test func clientVanishingWhileItsRequestIsInFlightIsHarmless() async throws {
        let gate = GatedResponder()
        try await withServer(gate) { port, _ in
            try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /gate/gone HTTP/1.1\r\n\r\n")
            }
            await gate.started()
            gate.release()
            let response = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /gate/next HTTP/1.1\r\n\r\n")
                return client.readResponse()
            }
            #expect(response?.text == "released /gate/next")
        }
    }
}
