// libFuzzer target: the gateway's HTTP/1.1 response reader (HTTPResponseReader, compiled alone by
// scripts/fuzz.sh). Each input is read at once, then in two reads split in the middle, then a byte at
// a time; the three must agree (same response, or all refused, or all waiting for more), and the
// connection's end must give a response or a failure, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = outcome(bytes, reads: [size])
    let halves = outcome(bytes, reads: [size / 2, size - size / 2])
    let single = outcome(bytes, reads: Array(repeating: 1, count: size))
    precondition(whole == halves && whole == single, "reading in pieces disagrees with reading at once")
    return 0
}

/// What the reader made of `bytes` fed in `reads` pieces, then closed: a summary to compare.
private func outcome(_ bytes: [UInt8], reads: [Int]) -> String {
    var reader = HTTPResponseReader()
    var offset = 0
    do {
        for count in reads {
            if let response = try reader.feed(bytes[offset..<(offset + count)]) { return summary(response) }
            offset += count
        }
        return "closed " + summary(try reader.finish())
    } catch {
        return "refused"
    }
}

private func summary(_ response: HTTPResponseReader.Response) -> String {
    precondition((100...599).contains(response.status))
    precondition(response.body.count <= HTTPResponseReader.maxBodyBytes)
    return "\(response.status) \(response.keepAlive) \(response.headers.count) \(response.body)"
}
