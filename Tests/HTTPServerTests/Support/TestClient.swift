import Foundation
import Glibc
@testable import HTTPServer
import Testing

/// A response as a test client read it off the wire.
struct WireResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP client on a raw socket, with a receive timeout so a broken server fails the test, not hangs it.
// @unchecked: a test uses its client from one place at a time (HTTPStreamingTests hands it to a thread
// with `onThread` and waits for that thread before touching it again).
final class TestClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, receiveTimeout: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; false on EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// Reads one response; `nil` if the connection closed or timed out first.
    func readResponse(head: Bool = false) -> WireResponse? {
        while true {
            if let end = headEnd() {
                let lines = String(decoding: buffer[0..<(end - 4)], as: UTF8.self).components(separatedBy: "\r\n")
                let statusParts = lines[0].split(separator: " ")
                guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
                var headers = HTTPHeaders()
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.add(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces), for: String(line[..<colon]))
                }
                let length = (head || status < 200 || status == 204 || status == 304) ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end + length { guard fill() else { return nil } }
                let body = Array(buffer[end..<(end + length)])
                buffer.removeFirst(end + length)
                return WireResponse(status: status, headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 3..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13 && buffer[index - 2] == 10 && buffer[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    /// Whether the server closed the connection (EOF or reset) before the receive timeout; data read first is kept.
    func waitForClose() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
            if n > 0 {
                buffer += chunk[0..<n]
                continue
            }
            if n == 0 { return true }
            return errno == ECONNRESET
        }
    }
}

/// Runs blocking client code on its own thread, so it never starves the cooperative pool that async responders use.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }.start()
    }
}

/// Starts a server on an ephemeral port, runs `body` with the port, then shuts the server down.
func withServer(
    _ responder: any HTTPResponder, limits: HTTPServer.Limits = HTTPServer.Limits(),
    timeouts: HTTPServer.Timeouts = HTTPServer.Timeouts(), eventLoops: Int = 2,
    _ body: (Int, HTTPServer) async throws -> Void
) async throws {
    let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, limits: limits, timeouts: timeouts, eventLoops: eventLoops), responder: responder)
    let port = try server.start()
    do {
        try await body(port, server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}
