import Glibc

/// Writes responses into a connection's output buffer, one contiguous run of bytes per response.
struct ResponseSerializer {
    /// The cached `Date: ...\r\n` line and the second it was made for.
    private var dateLine: [UInt8] = []
    private var dateSecond: Int = -1

    /// Appends `response` to `output`.
    /// - Parameters:
    ///   - response: The response.
    ///   - isHead: Whether the request was `HEAD` (the body is measured but not sent).
    ///   - connection: `"close"`, `"keep-alive"` or `nil` for no `Connection` field.
    ///   - output: The buffer to append to.
    mutating func append(_ response: HTTPResponse, isHead: Bool, connection: StaticString?, to output: inout [UInt8]) {
        refreshDate()
        let status = (100...999).contains(response.status) ? response.status : 500
        output.reserveCapacity(output.count + 128 + response.body.count + response.headers.count * 40)
        appendStatusLine(status, to: &output)
        output.append(contentsOf: dateLine)
        for field in response.headers.fields {
            if HTTPHeaders.namesEqual(field.name, "content-length") || HTTPHeaders.namesEqual(field.name, "transfer-encoding")
                || HTTPHeaders.namesEqual(field.name, "connection")
            {
                continue
            }
            output.append(contentsOf: field.name.utf8)
            output.append(colon)
            output.append(space)
            appendSanitized(field.value, to: &output)
            output.append(cr)
            output.append(lf)
        }
        if let connection {
            append(static: "Connection: ", to: &output)
            append(static: connection, to: &output)
            output.append(cr)
            output.append(lf)
        }
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        if status >= 200 && status != 204 {
            append(static: "Content-Length: ", to: &output)
            appendDecimal(bodyAllowed ? response.body.count : 0, to: &output)
            output.append(cr)
            output.append(lf)
        }
        output.append(cr)
        output.append(lf)
        if bodyAllowed && !isHead { output.append(contentsOf: response.body) }
    }

    /// Appends the head of a streamed response: its fields, `Connection: close`, and
    /// `Transfer-Encoding: chunked` when `chunked` (HTTP/1.1); the body follows as the stream is written.
    mutating func appendStreamHead(_ response: HTTPResponse, chunked: Bool, to output: inout [UInt8]) {
        refreshDate()
        let status = (100...999).contains(response.status) ? response.status : 500
        appendStatusLine(status, to: &output)
        output.append(contentsOf: dateLine)
        for field in response.headers.fields {
            if HTTPHeaders.namesEqual(field.name, "content-length") || HTTPHeaders.namesEqual(field.name, "transfer-encoding")
                || HTTPHeaders.namesEqual(field.name, "connection")
            {
                continue
            }
            output.append(contentsOf: field.name.utf8)
            output.append(colon)
            output.append(space)
            appendSanitized(field.value, to: &output)
            output.append(cr)
            output.append(lf)
        }
        append(static: "Connection: close\r\n", to: &output)
        if chunked && status >= 200 && status != 204 && status != 304 { append(static: "Transfer-Encoding: chunked\r\n", to: &output) }
        output.append(cr)
        output.append(lf)
    }

    /// Appends the server's own error response for a rejected request, in the contract's error shape
    /// `{"statusCode": 413, "error": "Payload Too Large", "message": "..."}`, with `Connection: close`.
    mutating func appendError(_ status: Int, message: String, to output: inout [UInt8]) {
        var body = Array(#"{"statusCode":"#.utf8)
        body.append(contentsOf: String(status).utf8)
        body.append(contentsOf: #","error":"#.utf8)
        appendJSONString(errorName(status), to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        appendJSONString(String(message.prefix(300)), to: &body)
        body.append(UInt8(ascii: "}"))
        append(
            HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: body),
            isHead: false, connection: "close", to: &output
        )
    }

    /// Appends `text` as a JSON string literal.
    private func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private func appendStatusLine(_ status: Int, to output: inout [UInt8]) {
        append(static: "HTTP/1.1 ", to: &output)
        appendDecimal(status, to: &output)
        output.append(space)
        output.append(contentsOf: reasonPhrase(status).utf8)
        output.append(cr)
        output.append(lf)
    }

    /// Header values never carry CR, LF or NUL onto the wire (they become spaces).
    private func appendSanitized(_ value: String, to output: inout [UInt8]) {
        if !value.utf8.contains(where: { $0 == cr || $0 == lf || $0 == 0 }) {
            output.append(contentsOf: value.utf8)
            return
        }
        for byte in value.utf8 { output.append(byte == cr || byte == lf || byte == 0 ? space : byte) }
    }

    private func append(static text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        if value < 10 {
            output.append(zero + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[19 - count] = zero + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            output.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Rebuilds the `Date` line when the wall-clock second changed (IMF-fixdate, RFC 9110 §5.6.7).
    private mutating func refreshDate() {
        var now = time(nil)
        guard Int(now) != dateSecond else { return }
        dateSecond = Int(now)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let text = "Date: \(Self.days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(Self.months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT\r\n"
        dateLine = Array(text.utf8)
    }
}

/// The `error` name of the contract's error body (the NestJS names, which differ from RFC 9110 for 413).
func errorName(_ status: Int) -> String {
    status == 413 ? "Payload Too Large" : reasonPhrase(status)
}

/// The reason phrase of a status code (RFC 9110 §15), or a generic one.
func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 411: "Length Required"
    case 413: "Content Too Large"
    case 414: "URI Too Long"
    case 415: "Unsupported Media Type"
    case 422: "Unprocessable Content"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    case 505: "HTTP Version Not Supported"
    default:
        switch status / 100 {
        case 1: "Informational"
        case 2: "Success"
        case 3: "Redirection"
        case 4: "Client Error"
        default: "Server Error"
        }
    }
}
