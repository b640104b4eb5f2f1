import Glibc
@testable import HTTPServer
import Synchronization
import Testing

/// Holds every request for `/hold` until `release()`; `waitForArrivals(n)` returns once n are held.
final class HoldingResponder: HTTPResponder {
    private struct State {
        var arrived = 0
        var released = false
        var arrivalWaiters: [(Int, CheckedContinuation<Void, Never>)] = []
        var releaseWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.path == "/hold" else { return echo(request) }
        let ready = state.withLock { state in
            state.arrived += 1
            let count = state.arrived
            let ready = state.arrivalWaiters.filter { $0.0 <= count }.map(\.1)
            state.arrivalWaiters.removeAll { $0.0 <= count }
            return ready
        }
        ready.forEach { $0.resume() }
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.released { return true }
                state.releaseWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return .text("released")
    }

    func waitForArrivals(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.arrived >= count { return true }
                state.arrivalWaiters.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.releaseWaiters = [] }
            return state.releaseWaiters
        }
        waiters.forEach { $0.resume() }
    }
}

/// Clients handed from one client thread to the next; never used by two threads at once.
struct Clients: @unchecked Sendable {
    let all: [TestClient]
}

/// The connection rows of issue 12: W1 (half-close), D3 (connection limit).
@Suite(.timeLimit(.minutes(1))) struct HTTPServerHostileTests {
    /// W1: pipelined responses that need many writes, then `shutdown(SHUT_WR)`: every response arrives and the
    /// server closes right after the last one, not at the 60 s idle timeout.
    @Test func halfClosedConnectionClosesAfterItsLastLargeResponse() async throws {
        try await withServer(SizedResponder(), eventLoops: 1) { port, _ in
            let (sizes, closed) = try await onThread {
                let client = try TestClient(port: port, receiveTimeout: 20)
                client.send(String(repeating: "GET /bytes/3000000 HTTP/1.1\r\n\r\n", count: 3))
                shutdown(client.fd, Int32(SHUT_WR))
                let sizes = (0..<3).map { _ in client.readResponse()?.body.count }
                return (sizes, client.waitForClose())
            }
            #expect(sizes == [3_000_000, 3_000_000, 3_000_000])
            #expect(closed)
        }
    }

    /// D3: at the limit, a new client pushes out the connection idle the longest, so `/health` keeps working.
    @Test func newClientEvictsTheLongestIdleConnectionAtTheLimit() async throws {
        let limits = HTTPServer.Limits(maxConnections: 4)
        try await withServer(EchoResponder(), limits: limits, eventLoops: 1) { port, _ in
            let (evicted, status) = try await onThread {
                var idle: [TestClient] = []
                for _ in 0..<4 {
                    let client = try TestClient(port: port)
                    // One exchange each, so the server has certainly adopted the connection.
                    client.send("GET /warm HTTP/1.1\r\n\r\n")
                    _ = client.readResponse()
                    idle.append(client)
                }
                let fresh = try TestClient(port: port)
                fresh.send("GET /health HTTP/1.1\r\n\r\n")
                let status = fresh.readResponse()?.status
                return (idle[0].waitForClose(), status)
            }
            #expect(status == 200)
            #expect(evicted)
        }
    }

    /// D3: when every connection is busy there is nothing to evict: the new one gets a 503 and is closed.
    @Test func busyServerAtItsLimitRefusesWith503() async throws {
        let responder = HoldingResponder()
        let limits = HTTPServer.Limits(maxConnections: 2)
        try await withServer(responder, limits: limits, eventLoops: 1) { port, _ in
            let busy = try await onThread {
                Clients(all: try (0..<2).map { _ in
                    let client = try TestClient(port: port)
                    client.send("GET /hold HTTP/1.1\r\n\r\n")
                    return client
                })
            }
            await responder.waitForArrivals(2)
            let (status, closed) = try await onThread {
                let client = try TestClient(port: port)
                client.send("GET /health HTTP/1.1\r\n\r\n")
                return (client.readResponse()?.status, client.waitForClose())
            }
            #expect(status == 503)
            #expect(closed)
            responder.release()
            let released = try await onThread { busy.all.map { $0.readResponse()?.status } }
            #expect(released == [200, 200])
        }
    }

    /// D3: above half the limit, idle connections get the short idle timeout.
    @Test func idleConnectionsCloseSoonerUnderPressure() async throws {
        let limits = HTTPServer.Limits(maxConnections: 4)
        let timeouts = HTTPServer.Timeouts(idle: .seconds(60), idleUnderPressure: .milliseconds(100))
        try await withServer(EchoResponder(), limits: limits, timeouts: timeouts, eventLoops: 1) { port, _ in
            let closed = try await onThread {
                let clients = try (0..<3).map { _ in try TestClient(port: port, receiveTimeout: 10) }
                return clients.map { $0.waitForClose() }
            }
            #expect(closed == [true, true, true])
        }
    }

    @Test func defaultConnectionLimitKeepsDescriptorsFree() {
        #expect(HTTPServer.Limits.defaultConnectionLimit(descriptorLimit: 1024) == 768)
        #expect(HTTPServer.Limits.defaultConnectionLimit(descriptorLimit: 100) == 36)
        #expect(HTTPServer.Limits.defaultConnectionLimit(descriptorLimit: 20) == 16)
        #expect(HTTPServer.Limits(maxConnections: 10).connectionLimit == 10)
        #expect(HTTPServer.Limits().connectionLimit > 0)
    }
}
