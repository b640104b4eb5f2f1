import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Many `GET /api/events` subscribers in one process, for W9: each a plain socket speaking
/// HTTP/1.0 (so the event stream arrives close-delimited, without chunk framing), all served by one
/// thread so that the client takes as little of the machine's two cores as
/// possible (`poll(2)`: Glibc's module map has no epoll). Per subscriber it counts `event: task` frames, checks that their `id:`s increase and
/// folds them into a hash (equal hashes: the same sequence); it notes `event: overflow`. For every
/// task frame it measures the delivery latency: the receive time minus the task's `updatedAt`
/// (the store's stamp of the change, rounded down to the millisecond, so latencies read up to 1 ms
/// high). The first subscriber also checks every task's own sequence: `processing`, then
/// `completed`, once each.
final class SSESubscribers: Sendable {
    /// What one subscriber saw.
    struct Subscriber {
        var fd: Int32 = -1
        var pending: [UInt8] = []
        var headerDone = false
        var httpStatus = 0
        var connected = false
        var taskEvents = 0
        var lastID: UInt64 = 0
        var outOfOrder = 0
        var hash: UInt64 = 14_695_981_039_346_656_037
        var overflowed = false
        var ended = false
        var doneAt: Double? = nil
    }

    struct State {
        var subscribers: [Subscriber] = []
        /// Latencies in 0.1 ms buckets, the last bucket for anything beyond.
        var histogram = [Int](repeating: 0, count: 600_001)
        var latencyCount = 0
        var latencyMax = 0.0
        /// The first subscriber's per-task check: 1 after `processing`, 2 after `completed`.
        var referenceStates: [Int64: UInt8] = [:]
        var referenceProblems: [String] = []
        var bytes = 0
        var stopped = false
    }

    let state = Mutex(State())
    private let loopEnded = DispatchSemaphore(value: 0)
    let expectedTaskEvents: Int
    private let port: Int
    private let path: String

    /// - Parameters:
    ///   - count: how many subscribers.
    ///   - port: the worker's port on 127.0.0.1.
    ///   - path: the request path with its query (`/api/events?events=task`).
    ///   - expectedTaskEvents: after this many task events a subscriber is done and disconnects.
    init(count: Int, port: Int, path: String, expectedTaskEvents: Int) {
        self.port = port
        self.path = path
        self.expectedTaskEvents = expectedTaskEvents
        state.withLock { $0.subscribers = Array(repeating: Subscriber(), count: count) }
    }

    /// Connects every subscriber and starts the loop thread; returns once the connections are made
    /// (not yet answered: see ``allConnected``).
    func start() throws {
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        let count = state.withLock { $0.subscribers.count }
        var descriptors: [pollfd] = []
        for index in 0..<count {
            let fd = try connectLoopback(port: port)
            let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent == request.count else { throw BenchError("send to subscriber \(index) failed: errno \(errno)") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
            state.withLock { $0.subscribers[index].fd = fd }
        }
        let initial = descriptors
        let thread = Thread { [self] in loop(initial) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Whether every subscriber has its `: connected` comment (it is subscribed then).
    var allConnected: Bool { state.withLock { state in state.subscribers.allSatisfy { $0.connected || $0.ended } } }

    /// Whether every subscriber has all expected events or has ended.
    var allDone: Bool { state.withLock { state in state.subscribers.allSatisfy { $0.ended } } }

    /// Task events received so far over all subscribers.
    var totalTaskEvents: Int { state.withLock { state in state.subscribers.reduce(0) { $0 + $1.taskEvents } } }

    /// Ends the loop thread, which closes what is still open, and waits for it.
    func stop() {
        state.withLock { $0.stopped = true }
        loopEnded.wait()
    }

    /// The latency below which `fraction` of the measured deliveries fall, in milliseconds.
    func latencyPercentile(_ fraction: Double) -> Double {
        state.withLock { state in
            let target = Int((Double(state.latencyCount) * fraction).rounded(.up))
            var seen = 0
            for (bucket, count) in state.histogram.enumerated() {
                seen += count
                if seen >= target && count > 0 { return Double(bucket) / 10 }
            }
            return state.latencyMax
        }
    }

    private func loop(_ initial: [pollfd]) {
        var descriptors = initial
        let capacity = 1 << 18
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let ready = poll(&descriptors, nfds_t(descriptors.count), 100)
            if state.withLock({ $0.stopped }) { break }
            guard ready > 0 else { continue }
            // (one lock per wake-up: the main thread only looks at the counts now and then)
            state.withLock { state in
                for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                    descriptors[index].revents = 0
                    if drain(index, &state, scratch) { descriptors[index].fd = -1 }
                }
            }
        }
        state.withLock { state in
            for index in state.subscribers.indices where !state.subscribers[index].ended {
                close(state.subscribers[index].fd)
                state.subscribers[index].ended = true
            }
        }
        loopEnded.signal()
    }

    /// Reads what subscriber `index` has until the socket would block, then parses whole frames.
    /// - Returns: whether the subscriber has ended (its socket is closed then).
    private func drain(_ index: Int, _ state: inout State, _ scratch: UnsafeMutableRawBufferPointer) -> Bool {
        let fd = state.subscribers[index].fd
        var sawEnd = false
        while true {
            let received = recv(fd, scratch.baseAddress, scratch.count, 0)
            if received > 0 {
                state.bytes += received
                state.subscribers[index].pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<received]))
                if received < scratch.count { break }
            } else if received == 0 {
                sawEnd = true
                break
            } else {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
                sawEnd = true
                break
            }
        }
        parse(index, &state, now: wallMicroseconds())
        guard sawEnd || state.subscribers[index].taskEvents >= expectedTaskEvents else { return false }
        close(fd)
        state.subscribers[index].ended = true
        state.subscribers[index].doneAt = Date().timeIntervalSince1970
        return true
    }

    private func parse(_ index: Int, _ state: inout State, now: Int64) {
        var buffer = state.subscribers[index].pending
        state.subscribers[index].pending = []  // so that `buffer` is the only reference
        var subscriber = state.subscribers[index]
        var consumed = 0
        buffer.withUnsafeBufferPointer { bytes in
            var start = 0
            if !subscriber.headerDone {
                guard let end = find(bytes, [13, 10, 13, 10], from: 0) else { return }
                let head = String(decoding: bytes[0..<min(end, 20)], as: UTF8.self)
                subscriber.httpStatus = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                subscriber.headerDone = true
                start = end + 4
                consumed = start
            }
            while let end = find(bytes, [10, 10], from: start) {
                frame(bytes, start, end, &subscriber, &state, isReference: index == 0, now: now)
                start = end + 2
                consumed = start
            }
        }
        if consumed > 0 { buffer.removeFirst(consumed) }
        subscriber.pending = buffer
        state.subscribers[index] = subscriber
    }

    /// One frame, `bytes[start..<end]` without its blank line.
    private func frame(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ subscriber: inout Subscriber, _ state: inout State,
        isReference: Bool, now: Int64
    ) {
        if bytes[start] == UInt8(ascii: ":") {
            if hasPrefix(bytes, start, end, ": connected") { subscriber.connected = true }
            return
        }
        var id: UInt64 = 0
        var kind = (start: 0, end: 0)
        var data = (start: 0, end: 0)
        var line = start
        while line < end {
            var lineEnd = line
            while lineEnd < end && bytes[lineEnd] != 10 { lineEnd += 1 }
            if hasPrefix(bytes, line, lineEnd, "id: ") {
                id = UInt64(digits(bytes, line + 4, lineEnd))
            } else if hasPrefix(bytes, line, lineEnd, "event: ") {
                kind = (line + 7, lineEnd)
            } else if hasPrefix(bytes, line, lineEnd, "data: ") {
                data = (line + 6, lineEnd)
            }
            line = lineEnd + 1
        }
        if hasPrefix(bytes, kind.start, kind.end, "overflow") {
            subscriber.overflowed = true
            return
        }
        guard hasPrefix(bytes, kind.start, kind.end, "task") else { return }
        subscriber.taskEvents += 1
        if id <= subscriber.lastID { subscriber.outOfOrder += 1 }
        subscriber.lastID = id
        subscriber.hash = (subscriber.hash ^ id) &* 1_099_511_628_211
        if let at = find(bytes, Array("\"updatedAt\":\"".utf8), from: data.start, before: data.end),
            let stamp = timestampMilliseconds(bytes, at + 13)
        {
            let latency = Double(now - stamp * 1000) / 1000
            state.histogram[max(0, min(state.histogram.count - 1, Int(latency * 10)))] += 1
            state.latencyCount += 1
            state.latencyMax = max(state.latencyMax, latency)
        }
        if isReference { referenceCheck(bytes, data, &state) }
    }

    /// The first subscriber's check of each task's events: `processing` then `completed`.
    private func referenceCheck(_ bytes: UnsafeBufferPointer<UInt8>, _ data: (start: Int, end: Int), _ state: inout State) {
        guard let idAt = find(bytes, Array("{\"id\":\"".utf8), from: data.start, before: data.end),
            let statusAt = find(bytes, Array("\"status\":\"".utf8), from: data.start, before: data.end)
        else {
            if state.referenceProblems.count < 10 { state.referenceProblems.append("a task frame without id or status") }
            return
        }
        var idEnd = idAt + 7
        while idEnd < data.end && bytes[idEnd] != UInt8(ascii: "\"") { idEnd += 1 }
        let taskID = digits(bytes, idAt + 7, idEnd)
        let previous = state.referenceStates[taskID] ?? 0
        if hasPrefix(bytes, statusAt + 10, data.end, "processing\"") {
            if previous != 0, state.referenceProblems.count < 10 {
                state.referenceProblems.append("task \(taskID): processing after state \(previous)")
            }
            state.referenceStates[taskID] = 1
        } else if hasPrefix(bytes, statusAt + 10, data.end, "completed\"") {
            if previous != 1, state.referenceProblems.count < 10 {
                state.referenceProblems.append("task \(taskID): completed after state \(previous)")
            }
            state.referenceStates[taskID] = 2
        } else if state.referenceProblems.count < 10 {
            let shown = String(decoding: bytes[(statusAt + 10)..<min(data.end, statusAt + 22)], as: UTF8.self)
            state.referenceProblems.append("task \(taskID): unexpected status \(shown)")
        }
    }
}

/// A benchmark's own failure.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A blocking TCP connection to 127.0.0.1:`port`.
func connectLoopback(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket failed: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else {
        let code = errno
        close(fd)
        throw BenchError("connect to port \(port) failed: errno \(code)")
    }
    return fd
}

/// The wall clock in microseconds since 1970 (the stores stamp with the wall clock too).
func wallMicroseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
}

private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
    let limit = end ?? bytes.count
    guard let base = bytes.baseAddress, let first = needle.first else { return nil }
    var position = start
    while limit - position >= needle.count {
        guard let hit = memchr(base + position, Int32(first), limit - position - needle.count + 1) else { return nil }
        let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        var matches = true
        for index in 1..<needle.count where bytes[offset + index] != needle[index] {
            matches = false
            break
        }
        if matches { return offset }
        position = offset + 1
    }
    return nil
}

private func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard end - start >= count else { return false }
    let pointer = prefix.utf8Start
    for offset in 0..<count where bytes[start + offset] != pointer[offset] { return false }
    return true
}

private func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64 {
    var value: Int64 = 0
    var index = start
    while index < end, bytes[index] >= 48, bytes[index] <= 57 {
        value = value * 10 + Int64(bytes[index] - 48)
        index += 1
    }
    return value
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` at `start` as milliseconds since 1970.
private func timestampMilliseconds(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int64? {
    guard start + 24 <= bytes.count else { return nil }
    func number(_ offset: Int, _ length: Int) -> Int64 { digits(bytes, start + offset, start + offset + length) }
    let year = number(0, 4), month = number(5, 2), day = number(8, 2)
    let hour = number(11, 2), minute = number(14, 2), second = number(17, 2), millis = number(20, 3)
    // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
}
