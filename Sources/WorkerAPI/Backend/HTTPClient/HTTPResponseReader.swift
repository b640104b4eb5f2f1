/// Reads one HTTP/1.1 response from bytes as they arrive: the status line, the headers, and a body
/// framed by `Content-Length`, by chunks, or by the end of the connection. Pure (no I/O), so that
/// the fuzz target and the tests feed it what they like.
struct HTTPResponseReader {
    /// A complete response.
    struct Response: Sendable {
        var status: Int
        /// Header names lowercased, in the order received.
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// Whether the connection may carry another request.
        var keepAlive: Bool

        /// The first value of a header (`name` lowercased).
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    /// Why a response cannot be read.
    enum Failure: Error, Equatable {
        case malformed(String)
        case tooLarge
    }

    static let maxHeadBytes = 64 * 1024
    /// The longest body read (the worker's own responses are capped at 16 MiB).
    static let maxBodyBytes = 16 * 1024 * 1024 + 64 * 1024

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    private enum Stage {
        case head
        case body(Framing)
        /// In a chunked body: waiting for a size line, then `remaining` data bytes and their CRLF.
        case chunk(remaining: Int)
        case trailers
        case done
    }

    private var stage = Stage.head
    private var buffer: [UInt8] = []
    private var start = 0
    private var response = Response(status: 0, headers: [], body: [], keepAlive: true)
    /// Whether any byte of the response arrived (a reused connection that ends before that can be retried).
    private(set) var receivedAny = false

    /// Adds bytes; returns the response once it is complete.
    mutating func feed(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Response? {
        if !bytes.isEmpty { receivedAny = true }
        buffer.append(contentsOf: bytes)
        return try advance()
    }

    /// The connection ended: the response if its body ran until the close, else a failure.
    mutating func finish() throws(Failure) -> Response {
        if case .body(.untilClose) = stage {
            response.body.append(contentsOf: buffer[start...])
            response.keepAlive = false
            stage = .done
            return response
        }
        throw .malformed("the connection closed before the response was complete")
    }

    private mutating func advance() throws(Failure) -> Response? {
        while true {
            switch stage {
            case .head:
                // The limits hold however the bytes arrive: checked on what is buffered and on what was found.
                guard let end = find(crlfcrlf) else {
                    if buffer.count - start > Self.maxHeadBytes { throw .tooLarge }
                    return nil
                }
                if end - start > Self.maxHeadBytes { throw .tooLarge }
                try parseHead(buffer[start..<end])
                start = end + 4
            case .body(.length(let length)):
                guard buffer.count - start >= length else { return nil }
                response.body = Array(buffer[start..<(start + length)])
                start += length
                stage = .done
            case .body(.chunked):
                guard let lineEnd = find(crlf), lineEnd - start <= 1024 else {
                    if buffer.count - start > 1024 { throw .malformed("a chunk size line longer than 1024 bytes") }
                    return nil
                }
                let line = String(decoding: buffer[start..<lineEnd], as: UTF8.self)
                let digits = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                guard let size = Int(Self.trimmed(digits[...]), radix: 16), size >= 0 else {
                    throw .malformed("chunk size '\(line.prefix(40))' is not hexadecimal")
                }
                guard response.body.count + size <= Self.maxBodyBytes else { throw .tooLarge }
                start = lineEnd + 2
                stage = size == 0 ? .trailers : .chunk(remaining: size)
            case .chunk(let remaining):
                guard buffer.count - start >= remaining + 2 else { return nil }
                response.body.append(contentsOf: buffer[start..<(start + remaining)])
                guard buffer[start + remaining] == 13, buffer[start + remaining + 1] == 10 else {
                    throw .malformed("a chunk is not followed by CRLF")
                }
                start += remaining + 2
                stage = .body(.chunked)
            case .trailers:
                guard let lineEnd = find(crlf) else { return nil }
                let empty = lineEnd == start
                start = lineEnd + 2
                if empty { stage = .done }
            case .body(.untilClose):
                guard buffer.count - start <= Self.maxBodyBytes else { throw .tooLarge }
                return nil
            case .done:
                return response
            }
            compact()
        }
    }

    private mutating func parseHead(_ head: ArraySlice<UInt8>) throws(Failure) {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.first.map(String.init) ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]),
            (100...599).contains(status)
        else {
            throw .malformed("status line '\(statusLine.prefix(60))' is not HTTP/1.x with a 3-digit status")
        }
        response.status = status
        response.keepAlive = parts[0] == "HTTP/1.1"
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformed("header line '\(line.prefix(60))' has no colon")
            }
            let name = line[..<colon].lowercased()
            let value = Self.trimmed(line[line.index(after: colon)...])
            response.headers.append((name, value))
            switch name {
            case "content-length":
                guard let parsed = Int(value), parsed >= 0, length == nil || length == parsed else {
                    throw .malformed("content-length '\(value.prefix(30))' is not one non-negative number")
                }
                guard parsed <= Self.maxBodyBytes else { throw .tooLarge }
                length = parsed
            case "transfer-encoding":
                chunked = value.lowercased().split(separator: ",").last.map(Self.trimmed) == "chunked"
            case "connection":
                let tokens = value.lowercased().split(separator: ",").map(Self.trimmed)
                if tokens.contains("close") { response.keepAlive = false }
                if tokens.contains("keep-alive") { response.keepAlive = true }
            default:
                break
            }
        }
        if status == 204 || status == 304 || (100..<200).contains(status) {
            stage = .body(.length(0))
        } else if chunked {
            stage = .body(.chunked)
        } else if let length {
            stage = .body(.length(length))
        } else {
            response.keepAlive = false
            stage = .body(.untilClose)
        }
    }

    /// `text` without leading and trailing spaces and tabs.
    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    private let crlf: [UInt8] = [13, 10]
    private let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        var index = start
        let last = buffer.count - needle.count
        while index <= last {
            if buffer[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where buffer[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// Drops consumed bytes once they are most of the buffer (keeps appends amortised O(1)).
    private mutating func compact() {
        if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
