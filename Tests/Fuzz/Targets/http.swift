// libFuzzer target: the HTTP/1.1 request parser, chunked bodies included (compiled into the HTTPServer
// module's sources by scripts/fuzz.sh). Each input is parsed whole, then again as it would arrive in two
// reads (the resumable head scan), and the two outcomes must agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = HTTPRequestParser(limits: HTTPServer.Limits(maxHeaderCount: 50, maxBodyBytes: 64 * 1024))
    var scanFrom = 0
    let whole = bytes.withUnsafeBufferPointer { parser.parse($0, scanFrom: &scanFrom) }
    if case .complete(let head, let body, let consumed) = whole {
        precondition(consumed <= bytes.count && body.count <= 64 * 1024)
        precondition(head.path.hasPrefix("/") || head.path == "*")
        _ = head.headers["content-type"]
    }
    // The same bytes in two reads: the first half (incomplete or already decided), then everything.
    var resumable = 0
    let half = Array(bytes.prefix(size / 2))
    let first = half.withUnsafeBufferPointer { parser.parse($0, scanFrom: &resumable) }
    if case .incomplete = first {
        let second = bytes.withUnsafeBufferPointer { parser.parse($0, scanFrom: &resumable) }
        switch (whole, second) {
        case (.complete(_, let a, let x), .complete(_, let b, let y)): precondition(a == b && x == y)
        case (.incomplete, .incomplete), (.failure, .failure): break
        default: preconditionFailure("parsing in two reads disagrees with parsing at once")
        }
    }
    return 0
}
