import Testing

@testable import WorkerAPI

/// The gateway's response reader: framing, keep-alive, and refusal of what is not HTTP/1.x.
struct HTTPResponseReaderTests {
    /// Feeds `text` split at `cut` (two reads), then the end of the connection if asked.
    static func read(_ text: String, cut: Int? = nil, close: Bool = false) throws(HTTPResponseReader.Failure)
        -> HTTPResponseReader.Response?
    {
        let bytes = Array(text.utf8)
        var reader = HTTPResponseReader()
        let at = min(cut ?? bytes.count, bytes.count)
        if let response = try reader.feed(bytes[0..<at]) { return response }
        if let response = try reader.feed(bytes[at...]) { return response }
        return close ? try reader.finish() : nil
    }

    static let framings: [(name: String, text: String, body: String, keepAlive: Bool)] = [
        ("length", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Error-Code: none\r\n\r\n{\"ok\":true}", "{\"ok\":true}", true),
        ("chunked", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-T: 1\r\n\r\n",
         "{\"a\":1}", true),
        ("close", "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "{}", false),
        ("1.0", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", "", false),
        ("204", "HTTP/1.1 204 No Content\r\n\r\n", "", true),
    ]

    @Test(arguments: framings.indices)
    func everyFramingReadsTheSameWhereverTheBytesAreSplit(index: Int) throws {
        let framing = Self.framings[index]
        for cut in 0...framing.text.utf8.count {
            let response = try #require(try Self.read(framing.text, cut: cut), "\(framing.name) cut at \(cut)")
            #expect(String(decoding: response.body, as: UTF8.self) == framing.body, "\(framing.name) cut at \(cut)")
            #expect(response.keepAlive == framing.keepAlive)
        }
    }

    @Test func headersAreLowercasedAndTrimmed() throws {
        let response = try #require(try Self.read("HTTP/1.1 400 Bad\r\nX-Error-Field:  priority \t\r\nContent-Length: 0\r\n\r\n"))
        #expect(response.status == 400)
        #expect(response.header("x-error-field") == "priority")
    }

    @Test func aBodyWithoutLengthRunsToTheClose() throws {
        #expect(try Self.read("HTTP/1.1 200 OK\r\n\r\nabc") == nil)
        let response = try #require(try Self.read("HTTP/1.1 200 OK\r\n\r\nabc", close: true))
        #expect(response.body == Array("abc".utf8))
        #expect(!response.keepAlive)
    }

    @Test func aConnectionThatEndsMidBodyIsAFailure() {
        #expect(throws: HTTPResponseReader.Failure.self) {
            _ = try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true)
        }
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
    ])
    func whatIsNotAnHTTPResponseIsRefused(text: String) {
        #expect(throws: HTTPResponseReader.Failure.self) { _ = try Self.read(text) }
    }

    @Test func anEndlessHeadIsRefused() {
        var reader = HTTPResponseReader()
        let line = Array("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8)
        #expect(throws: HTTPResponseReader.Failure.tooLarge) {
            _ = try reader.feed(Array("HTTP/1.1 200 OK\r\n".utf8)[...])
            for _ in 0..<2_000 { _ = try reader.feed(line[...]) }
        }
    }
}
