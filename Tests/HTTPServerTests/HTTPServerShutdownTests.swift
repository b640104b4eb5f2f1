import Foundation
import Glibc
@testable import HTTPServer
import Testing

@Suite(.timeLimit(.minutes(1))) struct HTTPServerShutdownTests {
    @Test func gracefulShutdownFinishesAnInFlightAsyncRequest() async throws {
        let gate = GatedResponder()
        let server = HTTPServer(configuration: .init(port: 0, eventLoops: 1), responder: gate)
        let port = try server.start()
        // An idle keep-alive connection (one answered request): its close shows the loop began shutting down.
        let idle = try await onThread {
            let client = try TestClient(port: port)
            client.send("GET /warm-up HTTP/1.1\r\n\r\n")
            _ = client.readResponse()
            return ClientBox(client)
        }
        let inFlight = Task {
            try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /gate/work HTTP/1.1\r\n\r\n")
                return (client.readResponse(), client.waitForClose())
            }
        }
        await gate.started()
        let stopped = Task { await server.shutdown() }
        #expect(try await onThread { idle.client.waitForClose() })
        gate.release()
        let (response, closed) = try await inFlight.value
        await stopped.value
        #expect(response?.status == 200)
        #expect(response?.text == "released /gate/work")
        #expect(response?.headers["connection"] == "close")
        #expect(closed)
        #expect(server.port == nil)
        #expect(throws: POSIXError.self) { try TestClient(port: port) }
    }

    @Test func shutdownClosesIdleConnections() async throws {
        let server = HTTPServer(configuration: .init(port: 0, eventLoops: 1), responder: EchoResponder())
        let port = try server.start()
        let client = try await onThread {
            let client = try TestClient(port: port)
            client.send("GET / HTTP/1.1\r\n\r\n")
            _ = client.readResponse()
            return ClientBox(client)
        }
        await server.shutdown()
        let closed = try await onThread { client.client.waitForClose() }
        #expect(closed)
    }

    @Test func shutdownOfAServerNeverStartedReturns() async {
        let server = HTTPServer(responder: EchoResponder())
        await server.shutdown()
        await server.run()
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.code == .alreadyStarted)
    }

    @Test func runReturnsAfterShutdown() async throws {
        let server = HTTPServer(configuration: .init(port: 0, eventLoops: 1), responder: EchoResponder())
        try server.start()
        async let running: Void = server.run()
        await server.shutdown()
        await running
        #expect(server.port == nil)
    }

    @Test func terminationSignalIsReported() async throws {
        let waiting = Task { await TerminationSignal.wait(for: [SIGUSR2]) }
        // Keep raising until the watcher (installed asynchronously) reports it; SIGUSR2 is ignored meanwhile.
        signal(SIGUSR2, SIG_IGN)
        let raiser = Task {
            while !Task.isCancelled {
                kill(getpid(), SIGUSR2)
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let received = await waiting.value
        raiser.cancel()
        #expect(received == SIGUSR2)
    }
}

/// Carries a client across the thread hop; the test uses it from one thread at a time.
final class ClientBox: @unchecked Sendable {
    let client: TestClient
    init(_ client: TestClient) { self.client = client }
}
