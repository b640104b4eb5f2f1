import Glibc

/// Parses HTTP/1.x requests from raw bytes, enforcing the configured limits.
///
/// The parser is stateless apart from the limits: each call parses from the start of the buffer, so callers pass
/// the unconsumed bytes of a connection. `scanFrom` remembers how far the search for the end of the head got, so a
/// head arriving one byte at a time costs linear, not quadratic, time.
struct HTTPRequestParser: Sendable {
    let limits: HTTPServer.Limits

    init(limits: HTTPServer.Limits) { self.limits = limits }

    /// Parses one request from `bytes`.
    /// - Parameters:
    ///   - bytes: The unconsumed bytes of a connection.
    ///   - scanFrom: Where the search for the end of the head may resume; start at 0, keep between calls on the
    ///     same request, reset to 0 after a request is consumed.
    /// - Returns: Whether a request is complete, incomplete or invalid.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, scanFrom: inout Int) -> ParseOutcome {
        let count = bytes.count
        // Skip empty lines before a request line (RFC 9112 §2.2).
        var start = 0
        while start + 1 < count, bytes[start] == cr, bytes[start + 1] == lf { start += 2 }
        if start + 1 == count, bytes[start] == cr { return .incomplete(head: nil) }

        // The request line.
        let lineLimit = limits.maxRequestLineBytes
        guard let lineFeed = find(lf, in: bytes, from: start, to: min(count, start + lineLimit)) else {
            if count - start >= lineLimit {
                return .failure(HTTPServerError(code: .requestLineTooLong, message: "request line longer than \(lineLimit) bytes"))
            }
            return .incomplete(head: nil)
        }
        guard lineFeed > start, bytes[lineFeed - 1] == cr else {
            return .failure(HTTPServerError(code: .malformedRequestLine, message: "request line must end with CRLF"))
        }

        // The end of the head: the first CRLF CRLF at or after the request line's CRLF.
        let headerLimit = limits.maxHeaderBytes
        let headerSearchStart = max(lineFeed - 1, scanFrom)
        let headerSearchEnd = min(count, lineFeed + 1 + headerLimit + 2)
        guard let headEnd = findHeadEnd(in: bytes, from: headerSearchStart, to: headerSearchEnd) else {
            if count - (lineFeed + 1) > headerLimit + 2 {
                return .failure(HTTPServerError(code: .headersTooLarge, message: "header fields longer than \(headerLimit) bytes"))
            }
            scanFrom = max(lineFeed - 1, count - 3)
            return .incomplete(head: nil)
        }
        var head: RequestHead
        switch parseHead(bytes, lineStart: start, lineEnd: lineFeed - 1, headEnd: headEnd) {
        case .success(let parsed): head = parsed
        case .failure(let error): return .failure(error)
        }

        // The body.
        let bodyStart = headEnd
        if head.chunked {
            switch decodeChunked(bytes, from: bodyStart) {
            case .incomplete: return .incomplete(head: head)
            case .failure(let error): return .failure(error)
            case .complete(let body, let end): return .complete(head, body: body, consumed: end)
            }
        }
        let length = head.contentLength ?? 0
        if length > limits.maxBodyBytes {
            return .failure(HTTPServerError(code: .bodyTooLarge, message: "Content-Length \(length) exceeds \(limits.maxBodyBytes) bytes"))
        }
        guard count - bodyStart >= length else { return .incomplete(head: head) }
        let body = length == 0 ? [] : Array(bytes[bodyStart..<(bodyStart + length)])
        head.length = headEnd
        return .complete(head, body: body, consumed: bodyStart + length)
    }

    // MARK: - Head

    private func parseHead(
        _ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, lineEnd: Int, headEnd: Int
    ) -> Result<RequestHead, HTTPServerError> {
        // METHOD SP request-target SP HTTP-version
        var index = lineStart
        while index < lineEnd, isTokenByte(bytes[index]) { index += 1 }
        guard index > lineStart, index < lineEnd, bytes[index] == space else {
            return .failure(HTTPServerError(code: .malformedRequestLine, message: "method must be a token followed by one space"))
        }
        let method = HTTPMethod(rawValue: string(bytes, lineStart, index))
        let targetStart = index + 1
        index = targetStart
        var queryMark: Int? = nil
        while index < lineEnd, bytes[index] != space {
            let byte = bytes[index]
            guard byte > 0x20, byte < 0x7F else {
                return .failure(HTTPServerError(code: .malformedRequestLine, message: "request target contains byte 0x\(String(byte, radix: 16)); only visible ASCII is allowed"))
            }
            if byte == question, queryMark == nil { queryMark = index }
            index += 1
        }
        guard index > targetStart, index < lineEnd else {
            return .failure(HTTPServerError(code: .malformedRequestLine, message: "request line must be 'METHOD target HTTP/x.y'"))
        }
        let targetEnd = index
        var pathStart = targetStart
        if let afterAuthority = absoluteFormPathStart(bytes, targetStart, queryMark ?? targetEnd) {
            pathStart = afterAuthority
        } else if !(bytes[targetStart] == slash || (targetEnd - targetStart == 1 && bytes[targetStart] == star)) {
            return .failure(HTTPServerError(code: .malformedRequestLine, message: "request target must start with '/' (origin form), be '*', or be an absolute http(s) URI"))
        }
        let path = pathStart == (queryMark ?? targetEnd) ? "/" : string(bytes, pathStart, queryMark ?? targetEnd)
        let query = queryMark.map { string(bytes, $0 + 1, targetEnd) } ?? ""
        // Version: exactly "HTTP/" DIGIT "." DIGIT.
        let versionStart = index + 1
        guard lineEnd - versionStart == 8,
            bytes[versionStart] == 0x48, bytes[versionStart + 1] == 0x54, bytes[versionStart + 2] == 0x54,
            bytes[versionStart + 3] == 0x50, bytes[versionStart + 4] == slash,
            isDigit(bytes[versionStart + 5]), bytes[versionStart + 6] == 0x2E, isDigit(bytes[versionStart + 7])
        else {
            return .failure(HTTPServerError(code: .malformedRequestLine, message: "HTTP version must be 'HTTP/x.y'"))
        }
        let major = Int(bytes[versionStart + 5] - zero), minor = Int(bytes[versionStart + 7] - zero)
        guard major == 1, minor <= 1 else {
            return .failure(HTTPServerError(code: .unsupportedVersion, message: "HTTP/\(major).\(minor) is not supported; use HTTP/1.1 or HTTP/1.0"))
        }

        var head = RequestHead(
            method: method, path: path, query: query, version: (major, minor), headers: HTTPHeaders(),
            length: headEnd, contentLength: nil, chunked: false, keepAlive: minor == 1, expectsContinue: false
        )
        switch parseFields(bytes, from: lineEnd + 2, to: headEnd - 2, into: &head) {
        case .some(let error): return .failure(error)
        case .none: return .success(head)
        }
    }

    /// Parses the header lines in `bytes[from..<to]` (each ending with CRLF) into `head`.
    private func parseFields(
        _ bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, into head: inout RequestHead
    ) -> HTTPServerError? {
        var fields: [(name: String, value: String)] = []
        var lineStart = from
        var sawTransferEncoding = false
        var connectionClose = false, connectionKeepAlive = false
        while lineStart < end {
            guard let lineFeed = find(lf, in: bytes, from: lineStart, to: end), lineFeed > lineStart,
                bytes[lineFeed - 1] == cr
            else {
                return HTTPServerError(code: .malformedHeader, message: "header line must end with CRLF")
            }
            let lineEnd = lineFeed - 1
            var index = lineStart
            while index < lineEnd, isTokenByte(bytes[index]) { index += 1 }
            guard index > lineStart, index < lineEnd, bytes[index] == colon else {
                return HTTPServerError(code: .malformedHeader, message: "header line \(fields.count + 1) must be 'name: value' with a token name (no folding, no space before ':')")
            }
            let nameEnd = index
            index += 1
            while index < lineEnd, bytes[index] == space || bytes[index] == tab { index += 1 }
            var valueEnd = lineEnd
            while valueEnd > index, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
            for position in index..<valueEnd {
                let byte = bytes[position]
                if byte < 0x20 && byte != tab || byte == 0x7F {
                    return HTTPServerError(code: .malformedHeader, message: "header '\(string(bytes, lineStart, nameEnd))' contains control byte 0x\(String(byte, radix: 16))")
                }
            }
            guard fields.count < limits.maxHeaderCount else {
                return HTTPServerError(code: .headersTooLarge, message: "more than \(limits.maxHeaderCount) header fields")
            }
            let name = string(bytes, lineStart, nameEnd)
            let value = string(bytes, index, valueEnd)
            fields.append((name: name, value: value))

            switch nameEnd - lineStart {
            case 14 where matches(bytes, lineStart, "content-length"):
                guard head.contentLength == nil else {
                    return HTTPServerError(code: .invalidContentLength, message: "more than one Content-Length field")
                }
                guard let length = parseDecimal(bytes, index, valueEnd) else {
                    return HTTPServerError(code: .invalidContentLength, message: "Content-Length '\(excerpt(value))' is not a non-negative decimal integer")
                }
                head.contentLength = length
            case 17 where matches(bytes, lineStart, "transfer-encoding"):
                // A list of codings, possibly over several fields (RFC 9110 §5.3): only `chunked` is
                // implemented (501 otherwise), and applying it twice is malformed (RFC 9112 §7.1).
                for coding in value.split(separator: ",") {
                    let trimmed = coding.trimmingSpaces
                    if trimmed.isEmpty { continue }
                    guard HTTPHeaders.namesEqual(trimmed, "chunked") else {
                        return HTTPServerError(code: .unsupportedTransferEncoding, message: "Transfer-Encoding '\(excerpt(trimmed))' is not supported; only 'chunked' is")
                    }
                    guard !sawTransferEncoding else {
                        return HTTPServerError(code: .malformedHeader, message: "Transfer-Encoding applies 'chunked' more than once")
                    }
                    sawTransferEncoding = true
                }
                guard sawTransferEncoding else {
                    return HTTPServerError(code: .malformedHeader, message: "Transfer-Encoding is empty")
                }
            case 10 where matches(bytes, lineStart, "connection"):
                for token in value.split(separator: ",") {
                    let trimmed = token.trimmingSpaces
                    if HTTPHeaders.namesEqual(trimmed, "close") { connectionClose = true }
                    if HTTPHeaders.namesEqual(trimmed, "keep-alive") { connectionKeepAlive = true }
                }
            case 6 where matches(bytes, lineStart, "expect"):
                // The only expectation defined is 100-continue (RFC 9110 §10.1.1); any other is a 417.
                guard HTTPHeaders.namesEqual(value, "100-continue") else {
                    return HTTPServerError(code: .expectationFailed, message: "Expect '\(excerpt(value))' is not supported; only '100-continue' is")
                }
                head.expectsContinue = head.version.minor == 1
            default:
                break
            }
            lineStart = lineFeed + 1
        }
        if sawTransferEncoding {
            guard head.contentLength == nil else {
                return HTTPServerError(code: .invalidContentLength, message: "both Content-Length and Transfer-Encoding are present")
            }
            guard head.version.minor == 1 else {
                return HTTPServerError(code: .unsupportedTransferEncoding, message: "Transfer-Encoding is not allowed in HTTP/1.0")
            }
            head.chunked = true
        }
        head.keepAlive = head.version.minor == 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        head.headers = HTTPHeaders(fields)
        return nil
    }
}

// MARK: - Byte helpers

/// For an absolute-form target (`http://host:port/path`, RFC 9112 §3.2.2), the index where its path starts (the end
/// of `bytes[start..<end]` when it has no path); `nil` for any other form.
func absoluteFormPathStart(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    let schemeEnd: Int
    if end - start > 7, matches(bytes, start, "http://") {
        schemeEnd = start + 7
    } else if end - start > 8, matches(bytes, start, "https://") {
        schemeEnd = start + 8
    } else {
        return nil
    }
    guard bytes[schemeEnd] != slash else { return nil }
    return find(slash, in: bytes, from: schemeEnd, to: end) ?? end
}

let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20, tab: UInt8 = 0x09, colon: UInt8 = 0x3A
let slash: UInt8 = 0x2F, star: UInt8 = 0x2A, question: UInt8 = 0x3F, zero: UInt8 = 0x30, semicolon: UInt8 = 0x3B

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

/// Whether `byte` is a `tchar` of RFC 9110 §5.6.2.
@inline(__always) func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
    default: false
    }
}

/// The first index of `byte` in `bytes[from..<to]`.
@inline(__always) func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
    guard from < end, let base = bytes.baseAddress else { return nil }
    guard let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
}

/// The index just past the first CRLF CRLF in `bytes[from..<to]`.
func findHeadEnd(in bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
    var index = from
    while let lineFeed = find(lf, in: bytes, from: index, to: end) {
        if lineFeed - 3 >= from, bytes[lineFeed - 1] == cr, bytes[lineFeed - 2] == lf, bytes[lineFeed - 3] == cr {
            return lineFeed + 1
        }
        index = lineFeed + 1
    }
    return nil
}

/// Decodes `bytes[start..<end]` as UTF-8, repairing invalid sequences.
@inline(__always) func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
}

/// Whether the bytes at `start` equal the lower-case ASCII `name`, ignoring case.
@inline(__always) func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ name: StaticString) -> Bool {
    let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    for offset in 0..<expected.count where asciiLower(bytes[start + offset]) != expected[offset] { return false }
    return true
}

/// Parses `bytes[start..<end]` as a non-negative decimal without sign, or returns `nil` (also on overflow).
func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    guard start < end, end - start <= 18 else { return nil }
    var value = 0
    for index in start..<end {
        let byte = bytes[index]
        guard isDigit(byte) else { return nil }
        value = value * 10 + Int(byte - zero)
    }
    return value
}

/// Client text as an error message quotes it: at most 64 characters, then `…`.
func excerpt(_ text: some StringProtocol) -> String {
    let scalars = text.unicodeScalars
    guard let cut = scalars.index(scalars.startIndex, offsetBy: 64, limitedBy: scalars.endIndex), cut != scalars.endIndex else {
        return String(text)
    }
    return String(String.UnicodeScalarView(scalars[..<cut])) + "…"
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
