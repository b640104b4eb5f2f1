@testable import HTTPServer
import Testing

/// The parser rows of issue 12 (W2, W3, W7).
@Suite struct HTTPRequestParserHostileTests {
    /// W3: `chunked` twice (in two fields or one list) is a malformed message (400), not "unsupported" (501).
    @Test(arguments: [
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
    ])
    func chunkedAppliedTwiceIsMalformed(input: String) {
        let outcome = parse(Array(input.utf8))
        check(outcome, .failure(.malformedHeader, status: 400))
        if case .failure(let error) = outcome { #expect(error.message.contains("more than once")) }
    }

    /// W3: leading zeros of a chunk size do not count towards the digit limit.
    @Test func zeroPaddedChunkSizeIsAccepted() {
        let padding = String(repeating: "0", count: 40)
        let input = "POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(padding)5\r\nhello\r\n\(padding)0\r\n\r\n"
        check(parse(Array(input.utf8)), .request(method: "POST", path: "/t", query: "", body: "hello"))
        let zeroOnly = "POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n000\r\n\r\n"
        check(parse(Array(zeroOnly.utf8)), .request(method: "POST", path: "/t", query: "", body: ""))
        // Sixteen significant digits are still too many.
        let huge = "POST /t HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n00001000000000000000\r\n"
        check(parse(Array(huge.utf8)), .failure(.bodyTooLarge, status: 413))
    }

    /// W7: the only expectation is 100-continue; any other is 417.
    @Test(arguments: ["bogus", "100-continue, bogus", "200-ok", ""])
    func unknownExpectationIs417(value: String) {
        let input = "POST / HTTP/1.1\r\nExpect: \(value)\r\nContent-Length: 0\r\n\r\n"
        check(parse(Array(input.utf8)), .failure(.expectationFailed, status: 417))
    }

    @Test func continueExpectationStillWorksInAnyCase() {
        guard case .incomplete(let head?) = parse(Array("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n".utf8)) else {
            Issue.record("expected an incomplete request with its head")
            return
        }
        #expect(head.expectsContinue)
    }

    /// W2: the parser keeps the method exactly as sent; routers compare it case-sensitively.
    @Test func methodIsKeptAsSent() {
        check(parse(Array("post /x HTTP/1.1\r\n\r\n".utf8)), .request(method: "post", path: "/x", query: "", body: ""))
        #expect(HTTPMethod(rawValue: "post") != .post)
    }

    /// Error messages quote client text shortened.
    @Test func longHeaderValuesAreNotEchoedWhole() {
        let value = String(repeating: "x", count: 5000)
        guard case .failure(let error) = parse(Array("POST / HTTP/1.1\r\nTransfer-Encoding: \(value)\r\n\r\n".utf8)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.status == 501 && error.message.count < 200)
    }
}
