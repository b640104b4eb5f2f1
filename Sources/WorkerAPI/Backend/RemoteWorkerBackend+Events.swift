import Foundation
import Glibc
public import Scheduling
import Synchronization
public import TaskCore

/// Live events in split mode: the gateway subscribes to the worker's `GET /api/events` (one
/// upstream connection per subscription, the filter applied by the worker) and relays the
/// events into a local subscription.
extension RemoteWorkerBackend: WorkerEventSource {
    public func subscribeChanges(_ filter: EventFilter, after lastEventID: UInt64?, bufferSize: Int)
        async throws(TaskCoreError) -> EventSubscription
    {
        guard let url = URL(string: baseURL), url.scheme?.lowercased() == "http", let host = url.host else {
            throw TaskCoreError(code: .unavailable, message: "live events need an http:// worker URL, not \(baseURL)")
        }
        let port = url.port ?? 80
        let target = url.path.replacingOccurrences(of: "/$", with: "", options: .regularExpression) + "/api/events"
            + RemoteEventRelay.query(filter, after: lastEventID)
        let bus = EventBus(replayCapacity: 0)
        let subscription = bus.subscribe(.all, bufferSize: bufferSize)
        // The caller's credentials go upstream, as on every other call, so the worker's rule decides.
        let relay = RemoteEventRelay(
            host: host, port: port, target: target, authorization: GatewayRequestScope.current?.authorization,
            bus: bus, subscription: subscription)
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            let thread = Thread { relay.run(answered: { continuation.resume(returning: $0) }) }
            thread.name = "worker-service.remote-events"
            thread.start()
        }
        switch status {
        case 200: return subscription
        case 401, 403:
            throw Self.error(status: status ?? 0, code: nil, field: nil, body: relay.refusalBody)
        default: throw TaskCoreError(code: .unavailable, message: Self.unavailableMessage)
        }
    }
}

/// One upstream `GET /api/events` connection on a thread of its own (blocking socket, polled so a
/// cancelled subscription closes it within 250 ms).
final class RemoteEventRelay: Sendable {
    let host: String
    let port: Int
    let target: String
    /// The `Authorization` header to send (the gateway's caller's), or `nil`.
    let authorization: String?
    let bus: EventBus
    let subscription: EventSubscription
    private let refusal = Mutex<[UInt8]>([])

    init(host: String, port: Int, target: String, authorization: String?, bus: EventBus, subscription: EventSubscription) {
        self.host = host
        self.port = port
        self.target = target
        self.authorization = authorization
        self.bus = bus
        self.subscription = subscription
    }

    /// The body of a refused (non-200) upstream answer, as far as it arrived with the head.
    var refusalBody: [UInt8] { refusal.withLock { $0 } }

    static func query(_ filter: EventFilter, after lastEventID: UInt64?) -> String {
        var parts: [String] = []
        func add(_ name: String, _ value: String?) {
            guard let value else { return }
            parts.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value))
        }
        add("taskId", filter.taskID?.description)
        add("type", filter.type)
        add("queue", filter.queue)
        add("jobId", filter.jobID?.description)
        add("batchId", filter.batchID)
        add("events", filter.kinds.map { $0.map(\.rawValue).sorted().joined(separator: ",") })
        add("lastEventId", lastEventID.map { String($0) })
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// Connects and relays until the subscription ends; `answered` gets the upstream status once
    /// (`nil` when none came).
    func run(answered: @Sendable (Int?) -> Void) {
        defer { bus.close() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return answered(nil) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else { return answered(nil) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { return answered(nil) }
        // A header value never holds CR or LF here (the server's parser refuses them), but the
        // relay writes raw bytes, so check rather than trust.
        let credentials = authorization.flatMap { $0.utf8.contains(where: { $0 == 13 || $0 == 10 }) ? nil : $0 }
        let request = Array(
            ("GET \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nAccept: text/event-stream\r\n"
                + (credentials.map { "Authorization: \($0)\r\n" } ?? "") + "\r\n").utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            return answered(nil)
        }
        var parser = SSEClientParser()
        var reported = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        var silentPolls = 0
        while subscription.endReason == nil {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else {
                silentPolls += 1
                if !reported && silentPolls >= 20 { break }  // no answer within 5 s
                continue
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            guard n > 0 else { break }
            for message in parser.feed(buffer[0..<n]) {
                switch message {
                case .head(let status):
                    reported = true
                    if status != 200 {
                        refusal.withLock { $0 = parser.bodyBytesSoFar }
                        return answered(status)
                    }
                    answered(status)
                case .event(let name, let data):
                    guard let json = try? JSONReader().parse(data) else { continue }
                    switch name {
                    case "task": if let task = try? ContractDecoding.task(json) { bus.publish(.task(task)) }
                    case "job":
                        if json["deleted"]?.boolValue == true, let id = json["id"]?.stringValue.flatMap({ JobID($0) }) {
                            bus.publish(.jobDeleted(id))
                        } else if let job = try? ContractDecoding.job(json) {
                            bus.publish(.job(job))
                        }
                    default: continue  // overflow ends the stream below; queue and batch are not relayed yet
                    }
                }
            }
            if parser.ended { break }
        }
        if !reported { answered(nil) }
    }
}

/// Reads an HTTP/1.1 response head and a chunked (or raw) Server-Sent Events body.
struct SSEClientParser {
    enum Message {
        case head(status: Int)
        case event(name: String, data: String)
    }

    private var raw: [UInt8] = []
    private var headDone = false
    private var chunked = false
    private var text: [UInt8] = []
    private(set) var ended = false

    /// The body bytes read so far that are not yet a complete event (the body of a refusal).
    var bodyBytesSoFar: [UInt8] { text }

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [Message] {
        raw.append(contentsOf: bytes)
        var messages: [Message] = []
        if !headDone {
            guard let end = find([13, 10, 13, 10], in: raw, from: 0) else { return [] }
            let head = String(decoding: raw[0..<end], as: UTF8.self)
            raw.removeFirst(end + 4)
            headDone = true
            chunked = head.lowercased().contains("transfer-encoding: chunked")
            let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            messages.append(.head(status: status))
        }
        if chunked {
            while let lineEnd = find([13, 10], in: raw, from: 0) {
                let size = Int(String(decoding: raw[0..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                guard raw.count >= lineEnd + 2 + size + 2 else { break }
                if size == 0 {
                    ended = true
                    raw = []
                    break
                }
                text.append(contentsOf: raw[(lineEnd + 2)..<(lineEnd + 2 + size)])
                raw.removeFirst(lineEnd + 2 + size + 2)
            }
        } else {
            text.append(contentsOf: raw)
            raw = []
        }
        while let end = find([10, 10], in: text, from: 0) {
            let block = String(decoding: text[0..<end], as: UTF8.self)
            text.removeFirst(end + 2)
            var name = "message"
            var data: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") {
                    var value = line.dropFirst(5)
                    if value.first == " " { value = value.dropFirst() }
                    data.append(String(value))
                }
            }
            if !data.isEmpty { messages.append(.event(name: name, data: data.joined(separator: "\n"))) }
        }
        return messages
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
