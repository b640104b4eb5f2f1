@testable import HTTPServer
import Testing

/// What a parse of a whole input should produce.
enum Expected: Sendable, CustomStringConvertible {
    case request(method: String, path: String, query: String, body: String, consumed: Int? = nil)
    case incomplete
    case failure(HTTPServerError.Code, status: Int)

    var description: String {
        switch self {
        case .request(let method, let path, _, _, _): "\(method) \(path)"
        case .incomplete: "incomplete"
        case .failure(let code, _): code.rawValue
        }
    }
}

/// Runs the parser over `input` with `limits`.
func parse(_ input: [UInt8], limits: HTTPServer.Limits = HTTPServer.Limits()) -> ParseOutcome {
    var scanFrom = 0
    return input.withUnsafeBufferPointer { HTTPRequestParser(limits: limits).parse($0, scanFrom: &scanFrom) }
}

func check(_ outcome: ParseOutcome, _ expected: Expected, sourceLocation: SourceLocation = #_sourceLocation) {
    switch (outcome, expected) {
    case (.complete(let head, let body, let consumed), .request(let method, let path, let query, let expectedBody, let expectedConsumed)):
        #expect(head.method.rawValue == method, sourceLocation: sourceLocation)
        #expect(head.path == path, sourceLocation: sourceLocation)
        #expect(head.query == query, sourceLocation: sourceLocation)
        #expect(body == Array(expectedBody.utf8), sourceLocation: sourceLocation)
        if let expectedConsumed { #expect(consumed == expectedConsumed, sourceLocation: sourceLocation) }
    case (.incomplete, .incomplete):
        break
    case (.failure(let error), .failure(let code, let status)):
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.status == status, sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    default:
        Issue.record("expected \(expected), got \(outcome)", sourceLocation: sourceLocation)
    }
}

@Suite struct HTTPRequestParserTests {
    static let valid: [(String, Expected)] = [
        ("GET / HTTP/1.1\r\n\r\n", .request(method: "GET", path: "/", query: "", body: "", consumed: 18)),
        ("GET /api/tasks/1?x=1&y=2 HTTP/1.1\r\nHost: a\r\n\r\n", .request(method: "GET", path: "/api/tasks/1", query: "x=1&y=2", body: "")),
        ("POST /t HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", .request(method: "POST", path: "/t", query: "", body: "hello")),
        ("POST /t HTTP/1.1\r\ncontent-length:   3  \r\n\r\nabcGET", .request(method: "POST", path: "/t", query: "", body: "abc", consumed: 46)),
        ("POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
         .request(method: "POST", path: "/t", query: "", body: "hello world")),
        ("POST /t HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\na\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n",
         .request(method: "POST", path: "/t", query: "", body: "0123456789")),
        ("\r\n\r\nGET /after-blank-lines HTTP/1.1\r\n\r\n", .request(method: "GET", path: "/after-blank-lines", query: "", body: "")),
        ("OPTIONS * HTTP/1.1\r\n\r\n", .request(method: "OPTIONS", path: "*", query: "", body: "")),
        ("GET /old HTTP/1.0\r\n\r\n", .request(method: "GET", path: "/old", query: "", body: "")),
        ("GET /x HTTP/1.1\r\nX-Obs: caf\u{E9}\r\n\r\n", .request(method: "GET", path: "/x", query: "", body: "")),
        ("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\n\r\n", .request(method: "GET", path: "/a/b", query: "c=d", body: "")),
        ("GET https://example.com HTTP/1.1\r\n\r\n", .request(method: "GET", path: "/", query: "", body: "")),
        ("GET /%ZZ/%00 HTTP/1.1\r\n\r\n", .request(method: "GET", path: "/%ZZ/%00", query: "", body: "")),
    ]

    @Test(arguments: valid)
    func parsesValidRequests(input: String, expected: Expected) {
        check(parse(Array(input.utf8)), expected)
    }

    static let incomplete: [String] = [
        "", "G", "GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: a\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n\r", "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n",
        "\r",
    ]

    @Test(arguments: incomplete)
    func waitsForMoreBytes(input: String) {
        check(parse(Array(input.utf8)), .incomplete)
    }

    static let invalid: [(String, HTTPServerError.Code, Int)] = [
        ("GET\r\n\r\n", .malformedRequestLine, 400),
        ("GET /\r\n\r\n", .malformedRequestLine, 400),
        ("GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTP/1.1 extra\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTP/1.1\n\n", .malformedRequestLine, 400),
        ("G(T / HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET relative HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET http:///nohost HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET ftp://host/x HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTX/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTP/11\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTP/2.0\r\n\r\n", .unsupportedVersion, 505),
        ("GET / HTTP/1.2\r\n\r\n", .unsupportedVersion, 505),
        ("GET /a\0b HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET /caf\u{E9} HTTP/1.1\r\n\r\n", .malformedRequestLine, 400),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .malformedHeader, 400),
        ("GET / HTTP/1.1\r\nName : v\r\n\r\n", .malformedHeader, 400),
        ("GET / HTTP/1.1\r\n: v\r\n\r\n", .malformedHeader, 400),
        ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", .malformedHeader, 400),
        ("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", .malformedHeader, 400),
        ("GET / HTTP/1.1\r\nA: b\nB: c\r\n\r\n", .malformedHeader, 400),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .invalidContentLength, 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding, 501),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding, 501),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferEncoding, 501),
        ("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", .bodyTooLarge, 413),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedChunk, 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", .malformedChunk, 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", .malformedChunk, 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", .malformedChunk, 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", .bodyTooLarge, 413),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", .bodyTooLarge, 413),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidRequests(input: String, code: HTTPServerError.Code, status: Int) {
        check(parse(Array(input.utf8)), .failure(code, status: status))
    }

    @Test func rejectsRequestLineOverLimitEvenBeforeItEnds() {
        let line = "GET /" + String(repeating: "a", count: 9000)
        check(parse(Array(line.utf8)), .failure(.requestLineTooLong, status: 414))
        check(parse(Array((line + " HTTP/1.1\r\n\r\n").utf8)), .failure(.requestLineTooLong, status: 414))
    }

    @Test func acceptsRequestLineJustUnderLimit() {
        let limits = HTTPServer.Limits(maxRequestLineBytes: 64)
        let path = "/" + String(repeating: "a", count: 48)  // "GET " + path + " HTTP/1.1\r\n" = 64 bytes, CRLF included
        check(parse(Array("GET \(path) HTTP/1.1\r\n\r\n".utf8), limits: limits), .request(method: "GET", path: path, query: "", body: ""))
        check(parse(Array("GET \(path)a HTTP/1.1\r\n\r\n".utf8), limits: limits), .failure(.requestLineTooLong, status: 414))
    }

    @Test func rejectsHeadersOverByteLimit() {
        let big = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 40_000) + "\r\n\r\n"
        check(parse(Array(big.utf8)), .failure(.headersTooLarge, status: 431))
        // Still over the limit while the head has not finished arriving.
        check(parse(Array(big.utf8.prefix(35_000))), .failure(.headersTooLarge, status: 431))
    }

    @Test func rejectsTooManyHeaderFields() {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        check(parse(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8)), .failure(.headersTooLarge, status: 431))
        let hundred = (0..<100).map { "X-\($0): v\r\n" }.joined()
        check(parse(Array("GET / HTTP/1.1\r\n\(hundred)\r\n".utf8)), .request(method: "GET", path: "/", query: "", body: ""))
    }

    @Test func hostileHugeHeaderCountIsRejectedQuickly() {
        let fields = String(repeating: "a:b\r\n", count: 200_000)
        check(parse(Array("GET / HTTP/1.1\r\n\(fields)\r\n".utf8)), .failure(.headersTooLarge, status: 431))
    }

    @Test func rejectsChunkedBodyOverLimit() {
        let limits = HTTPServer.Limits(maxBodyBytes: 8)
        let input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"
        check(parse(Array(input.utf8), limits: limits), .failure(.bodyTooLarge, status: 413))
    }

    @Test func invalidUTF8InHeaderValueIsRepairedNotFatal() {
        var input = Array("GET / HTTP/1.1\r\nX-Bytes: ".utf8)
        input += [0xFF, 0xFE, 0xC3]
        input += Array("\r\n\r\n".utf8)
        guard case .complete(let head, _, _) = parse(input) else {
            Issue.record("expected a request")
            return
        }
        #expect(head.headers["x-bytes"] == "\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test func everyPrefixOfARequestIsIncomplete() {
        let input = Array("POST /p?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".utf8)
        for length in 0..<input.count {
            check(parse(Array(input.prefix(length))), .incomplete)
        }
        check(parse(input), .request(method: "POST", path: "/p", query: "q=1", body: "abc", consumed: input.count))
    }

    @Test func byteByByteScanResumes() {
        let input = Array("GET /slow HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n".utf8)
        let parser = HTTPRequestParser(limits: HTTPServer.Limits())
        var scanFrom = 0
        for length in 1..<input.count {
            let outcome = input.prefix(length).withUnsafeBufferPointer { parser.parse($0, scanFrom: &scanFrom) }
            check(outcome, .incomplete)
        }
        let outcome = input.withUnsafeBufferPointer { parser.parse($0, scanFrom: &scanFrom) }
        check(outcome, .request(method: "GET", path: "/slow", query: "", body: ""))
    }

    @Test func readsConnectionSemantics() {
        func keepAlive(_ input: String) -> Bool? {
            if case .complete(let head, _, _) = parse(Array(input.utf8)) { return head.keepAlive }
            return nil
        }
        #expect(keepAlive("GET / HTTP/1.1\r\n\r\n") == true)
        #expect(keepAlive("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == true)
    }

    @Test func seesExpectContinue() {
        guard case .incomplete(let head?) = parse(Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8)) else {
            Issue.record("expected an incomplete request with its head")
            return
        }
        #expect(head.expectsContinue)
        guard case .incomplete(let old?) = parse(Array("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8)) else {
            Issue.record("expected an incomplete request with its head")
            return
        }
        #expect(!old.expectsContinue)
    }

    @Test func headersLookUpCaseInsensitively() {
        guard case .complete(let head, _, _) = parse(Array("GET / HTTP/1.1\r\nContent-Type: a/b\r\nX-A: 1\r\nx-a: 2\r\n\r\n".utf8)) else {
            Issue.record("expected a request")
            return
        }
        #expect(head.headers["content-type"] == "a/b")
        #expect(head.headers["CONTENT-TYPE"] == "a/b")
        #expect(head.headers.values(for: "X-A") == ["1", "2"])
        #expect(head.headers["missing"] == nil)
    }

    @Test func queryItemsAreDecoded() {
        let request = HTTPRequest(method: .get, path: "/", query: "a=1&b=hello+world&c=%2F%E2%82%AC&flag&&bad=%G1")
        #expect(request.queryItems.map(\.name) == ["a", "b", "c", "flag", "bad"])
        #expect(request.queryValue("b") == "hello world")
        #expect(request.queryValue("c") == "/€")
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("bad") == "%G1")
        #expect(request.queryValue("none") == nil)
    }
}
