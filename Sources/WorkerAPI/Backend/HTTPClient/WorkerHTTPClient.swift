import Dispatch
import Glibc
import Scheduling
import Synchronization
import TaskCore

/// The gateway's HTTP/1.1 client for the worker's REST API (plain `http://`), on blocking-free
/// sockets with a deadline per request and a small pool of keep-alive connections.
///
/// It replaces `URLSession` on Linux, whose heap grew by about 180 bytes per request for as long as
/// the process ran (the 30-minute soaks, `Docs/RELIABILITY.md`). A request runs on a Dispatch
/// worker thread; every wait is a `poll` bounded by what is left of the deadline.
final class WorkerHTTPClient: Sendable {
    /// Why a request got no response (the caller reports the worker as unavailable).
    enum Failure: Error {
        case connect(String)
        case io(String)
        case timeout
        case response(HTTPResponseReader.Failure)
    }

    let host: String
    let port: Int
    let timeout: Duration
    /// Idle keep-alive connections, most recently used last.
    private let idle = Mutex<[Int32]>([])
    static let maxIdleConnections = 32

    init(host: String, port: Int, timeout: Duration) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    deinit {
        for fd in idle.withLock({ $0 }) { close(fd) }
    }

    /// Sends one request and reads its response.
    /// - Parameters:
    ///   - target: the path and query (`/api/tasks?limit=5`).
    ///   - headers: extra headers (names and values without CR or LF).
    func send(_ method: String, _ target: String, headers: [(String, String)], body: [UInt8]?) async
        -> Result<HTTPResponseReader.Response, Failure>
    {
        let request = Self.request(method, target, host: "\(host):\(port)", headers: headers, body: body)
        let deadline = ContinuousClock.now + timeout
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.exchange(request, idempotent: method == "GET", deadline: deadline))
            }
        }
    }

    static func request(_ method: String, _ target: String, host: String, headers: [(String, String)], body: [UInt8]?)
        -> [UInt8]
    {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers where !value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            head += "\(name): \(value)\r\n"
        }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    /// One request on a pooled connection; a GET whose reused connection turns out closed before
    /// any byte of the answer (the server dropped it while idle) is sent once more on a new one.
    private func exchange(_ request: [UInt8], idempotent: Bool, deadline: ContinuousClock.Instant)
        -> Result<HTTPResponseReader.Response, Failure>
    {
        var reused = takeIdle()
        while true {
            let fd: Int32
            if let idleFD = reused {
                fd = idleFD
            } else {
                switch connect(deadline: deadline) {
                case .success(let opened): fd = opened
                case .failure(let failure): return .failure(failure)
                }
            }
            var reader = HTTPResponseReader()
            let outcome = roundTrip(fd, request, &reader, deadline: deadline)
            switch outcome {
            case .success(let response):
                if response.keepAlive { putIdle(fd) } else { close(fd) }
                return .success(response)
            case .failure(let failure):
                close(fd)
                if reused != nil, idempotent, !reader.receivedAny, case .io = failure {
                    reused = nil
                    continue
                }
                return .failure(failure)
            }
        }
    }

    private func roundTrip(
        _ fd: Int32, _ request: [UInt8], _ reader: inout HTTPResponseReader, deadline: ContinuousClock.Instant
    ) -> Result<HTTPResponseReader.Response, Failure> {
        var sent = 0
        while sent < request.count {
            if let failure = wait(fd, for: Int16(POLLOUT), deadline: deadline) { return .failure(failure) }
            let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return .failure(.io("send: \(String(cString: strerror(errno)))"))
            }
            sent += n
        }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let failure = wait(fd, for: Int16(POLLIN), deadline: deadline) { return .failure(failure) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return .failure(.io("recv: \(String(cString: strerror(errno)))"))
            }
            do throws(HTTPResponseReader.Failure) {
                if n == 0 {
                    guard reader.receivedAny else { return .failure(.io("the connection closed before an answer")) }
                    return .success(try reader.finish())
                }
                if let response = try reader.feed(buffer[0..<n]) {
                    return .success(response)
                }
            } catch {
                return .failure(.response(error))
            }
        }
    }

    /// Waits until `fd` is ready for `events`; `nil` when it is, else why not.
    private func wait(_ fd: Int32, for events: Int16, deadline: ContinuousClock.Instant) -> Failure? {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .timeout }
            let millis = Int32(clamping: left.milliseconds + 1)
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, millis)
            if ready > 0 { return nil }
            if ready < 0 && errno != EINTR { return .io("poll: \(String(cString: strerror(errno)))") }
        }
    }

    /// Opens a non-blocking connection to the first address of `host` that accepts one.
    private func connect(deadline: ContinuousClock.Instant) -> Result<Int32, Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            return .failure(.connect("cannot resolve \(host): \(String(cString: gai_strerror(resolved)))"))
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard errno == EINPROGRESS else {
                lastError = String(cString: strerror(errno))
                close(fd)
                continue
            }
            if let failure = wait(fd, for: Int16(POLLOUT), deadline: deadline) {
                close(fd)
                return .failure(failure)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .success(fd) }
            lastError = String(cString: strerror(error))
            close(fd)
        }
        return .failure(.connect("cannot connect to \(host):\(port): \(lastError)"))
    }

    /// An idle connection the server has not closed (an idle one has nothing to read: a readable
    /// socket holds the end of the stream, or bytes no request asked for).
    private func takeIdle() -> Int32? {
        while let fd = idle.withLock({ $0.popLast() }) {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 0) == 0 { return fd }
            close(fd)
        }
        return nil
    }

    private func putIdle(_ fd: Int32) {
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < Self.maxIdleConnections else { return false }
            idle.append(fd)
            return true
        }
        if !kept { close(fd) }
    }
}
