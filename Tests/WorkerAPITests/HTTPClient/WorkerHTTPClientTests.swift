import Foundation
import Glibc
import Synchronization
import Testing

@testable import WorkerAPI

/// A scripted server on 127.0.0.1: each accepted connection is handed to `serve` on a thread.
final class ScriptedServer: Sendable {
    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func add() { count.withLock { $0 += 1 } }
    }

    let port: Int
    private let listener: Int32
    /// Connections accepted, and connections `serve` returned from.
    let accepted = Counter()
    let finished = Counter()

    init(serve: @escaping @Sendable (Int32) -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        let accepted = accepted
        let finished = finished
        Thread {
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                accepted.add()
                Thread {
                    serve(fd)
                    finished.add()
                }.start()
            }
        }.start()
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    /// Reads one request head (and a Content-Length body); `nil` when the client closed.
    static func readRequest(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while bytes.count < end.upperBound + length {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { return nil }
                    bytes += buffer[0..<n]
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            bytes += buffer[0..<n]
        }
    }

    static func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct WorkerHTTPClientTests {
    @Test func requestsShareOneKeepAliveConnection() async throws {
        let requests = Mutex<[String]>([])
        let server = try ScriptedServer { fd in
            while let request = ScriptedServer.readRequest(fd) {
                requests.withLock { $0.append(request) }
                ScriptedServer.write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            }
            close(fd)
        }
        defer { server.stop() }
        let client = WorkerHTTPClient(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        for index in 0..<3 {
            let response = try await client.send("POST", "/api/tasks", headers: [("Authorization", "Bearer t")],
                                                 body: Array("{\"n\":\(index)}".utf8)).get()
            #expect(response.status == 200)
        }
        #expect(server.accepted.value == 1)
        let first = try #require(requests.withLock { $0.first })
        #expect(first.hasPrefix("POST /api/tasks HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        #expect(first.contains("Authorization: Bearer t\r\n"))
        #expect(first.hasSuffix("Content-Length: 7\r\n\r\n{\"n\":0}"))
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplaced() async throws {
        // Each connection answers one request and closes without saying so (a worker restarted,
        // an idle timeout): the next request must not fail on the dead connection.
        let server = try ScriptedServer { fd in
            if ScriptedServer.readRequest(fd) != nil {
                ScriptedServer.write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            }
            close(fd)
        }
        defer { server.stop() }
        let client = WorkerHTTPClient(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        for round in 1...3 {
            #expect(try await client.send("GET", "/health", headers: [], body: nil).get().status == 200)
            // The server has closed this connection before the next request goes out.
            while server.finished.value < round, !Task.isCancelled { await Task.yield() }
        }
        #expect(server.accepted.value == 3)
    }

    @Test func aServerThatNeverAnswersIsATimeout() async throws {
        let server = try ScriptedServer { fd in
            _ = ScriptedServer.readRequest(fd)
            _ = ScriptedServer.readRequest(fd)  // blocks until the client gives up and closes
            close(fd)
        }
        defer { server.stop() }
        let client = WorkerHTTPClient(host: "127.0.0.1", port: server.port, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let outcome = await client.send("GET", "/api/tasks", headers: [], body: nil)
        guard case .failure(.timeout) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aRefusedConnectionIsAConnectFailure() async throws {
        let server = try ScriptedServer { fd in close(fd) }
        let port = server.port
        server.stop()
        let client = WorkerHTTPClient(host: "127.0.0.1", port: port, timeout: .seconds(2))
        guard case .failure(.connect) = await client.send("GET", "/health", headers: [], body: nil) else {
            Issue.record("expected a connect failure")
            return
        }
    }

    @Test func headerValuesWithLineBreaksAreNotSent() {
        let request = WorkerHTTPClient.request(
            "GET", "/x", host: "h:1", headers: [("Authorization", "Bearer a\r\nX-Evil: 1"), ("X-A", "a\nb"), ("X-B", "a\rb"), ("Accept", "a/b")],
            body: nil)
        #expect(String(decoding: request, as: UTF8.self) == "GET /x HTTP/1.1\r\nHost: h:1\r\nAccept: a/b\r\n\r\n")
    }
}
