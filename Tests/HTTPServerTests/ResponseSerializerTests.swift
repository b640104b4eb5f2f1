@testable import HTTPServer
import Testing

@Suite struct ResponseSerializerTests {
    func serialize(_ response: HTTPResponse, isHead: Bool = false, connection: StaticString? = nil) -> String {
        var serializer = ResponseSerializer()
        var output: [UInt8] = []
        serializer.append(response, isHead: isHead, connection: connection, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The head with the Date line removed, for exact comparisons.
    func withoutDate(_ text: String) -> String {
        text.split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Date: ") }.joined(separator: "\r\n")
    }

    @Test func writesStatusHeadersLengthAndBody() {
        let text = serialize(.json(#"{"a":1}"#))
        #expect(withoutDate(text) == "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        #expect(text.contains("\r\nDate: "))
        #expect(text.contains(" GMT\r\n"))
    }

    @Test func replacesLengthAndFramingHeadersOfTheResponder() {
        let response = HTTPResponse(status: 201, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "X-A": "b"], body: [1, 2, 3])
        #expect(withoutDate(serialize(response, connection: "close")) == "HTTP/1.1 201 Created\r\nX-A: b\r\nConnection: close\r\nContent-Length: 3\r\n\r\n\u{1}\u{2}\u{3}")
    }

    @Test func headMeasuresButOmitsTheBody() {
        #expect(withoutDate(serialize(.text("hello"), isHead: true)) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func noContentAndNotModifiedCarryNoBody() {
        #expect(withoutDate(serialize(HTTPResponse(status: 204, body: [1]))) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(withoutDate(serialize(HTTPResponse(status: 304, body: [1]))) == "HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func headerValuesCannotInjectLines() {
        let text = serialize(HTTPResponse(headers: ["X-Evil": "a\r\nSet-Cookie: x\0"]))
        #expect(text.contains("X-Evil: a  Set-Cookie: x \r\n"))
        #expect(!text.contains("\r\nSet-Cookie"))
    }

    @Test(arguments: [(0, "0"), (7, "7"), (10, "10"), (1234567, "1234567")])
    func writesLengthsInDecimal(length: Int, expected: String) {
        #expect(serialize(HTTPResponse(body: [UInt8](repeating: 0, count: length))).contains("Content-Length: \(expected)\r\n"))
    }

    @Test func outOfRangeStatusBecomes500() {
        #expect(serialize(HTTPResponse(status: 42)).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
    }

    @Test func errorResponsesAreJSONAndClose() {
        var serializer = ResponseSerializer()
        var output: [UInt8] = []
        serializer.appendError(413, message: "body \"x\"\n too large", to: &output)
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.hasSuffix(#"{"statusCode":413,"error":"Payload Too Large","message":"body \"x\"\u000a too large"}"#))
    }
}

@Suite struct HTTPModelTests {
    @Test func headersAreCaseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["Accept": "a", "X-Multi": "1"]
        headers.add("2", for: "x-multi")
        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "X-MULTI") == ["1", "2"])
        headers.set("3", for: "X-Multi")
        #expect(headers.values(for: "x-multi") == ["3"])
        headers.remove("accept")
        #expect(!headers.contains("Accept"))
        #expect(headers.count == 1)
        #expect(HTTPHeaders.namesEqual("Content-Length", "content-length"))
        #expect(!HTTPHeaders.namesEqual("Content-Length", "content-lengths"))
        #expect(!HTTPHeaders.namesEqual("Content-Lengt", "content-length"))
    }

    @Test func responseConveniencesSetContentType() {
        #expect(HTTPResponse.json(status: 201, "{}").headers["content-type"] == "application/json; charset=utf-8")
        #expect(HTTPResponse.json(status: 201, "{}").status == 201)
        #expect(HTTPResponse.text("hi").body == Array("hi".utf8))
        #expect(HTTPResponse.text("hi", headers: ["Content-Type": "x/y"]).headers.values(for: "content-type") == ["text/plain; charset=utf-8"])
    }

    @Test func errorStatusesFollowCodes() {
        #expect(HTTPServerError(code: .requestLineTooLong, message: "").status == 414)
        #expect(HTTPServerError(code: .headersTooLarge, message: "").status == 431)
        #expect(HTTPServerError(code: .bodyTooLarge, message: "").status == 413)
        #expect(HTTPServerError(code: .malformedHeader, message: "").status == 400)
        #expect(HTTPServerError(code: .unsupportedVersion, message: "").status == 505)
    }
}
