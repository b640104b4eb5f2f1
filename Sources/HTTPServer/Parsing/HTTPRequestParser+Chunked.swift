/// The outcome of decoding a chunked body.
enum ChunkedOutcome {
    case incomplete
    case complete(body: [UInt8], end: Int)
    case failure(HTTPServerError)
}

extension HTTPRequestParser {
    /// The longest chunk-size line (size, extensions, CRLF) or trailer section accepted.
    static let maxChunkLineBytes = 4096

    /// Decodes a `Transfer-Encoding: chunked` body starting at `start` (RFC 9112 §7.1).
    ///
    /// A first pass only walks the chunk headers (O(number of chunks)); the data is copied once, when the whole
    /// body has arrived. Chunk extensions are ignored; trailer fields are skipped.
    func decodeChunked(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> ChunkedOutcome {
        let outcome = walkChunks(bytes, from: start)
        // Bound what a client may make us buffer with tiny chunks or long extensions.
        if case .incomplete = outcome, bytes.count - start > 2 * limits.maxBodyBytes + 65536 {
            return .failure(HTTPServerError(code: .bodyTooLarge, message: "chunked body framing exceeds \(2 * limits.maxBodyBytes + 65536) bytes"))
        }
        return outcome
    }

    private func walkChunks(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> ChunkedOutcome {
        let count = bytes.count
        let maxBody = limits.maxBodyBytes
        var chunks: [Range<Int>] = []
        var total = 0
        var index = start
        while true {
            // chunk-size [ chunk-ext ] CRLF
            let lineLimit = min(count, index + Self.maxChunkLineBytes)
            guard let lineFeed = find(lf, in: bytes, from: index, to: lineLimit) else {
                if lineLimit - index >= Self.maxChunkLineBytes {
                    return .failure(HTTPServerError(code: .malformedChunk, message: "chunk-size line longer than \(Self.maxChunkLineBytes) bytes"))
                }
                return .incomplete
            }
            guard lineFeed > index, bytes[lineFeed - 1] == cr else {
                return .failure(HTTPServerError(code: .malformedChunk, message: "chunk-size line must end with CRLF"))
            }
            var size = 0
            var cursor = index
            // Leading zeros add no value (`000f` is 15); only significant digits count towards the limit.
            while cursor < lineFeed - 2, bytes[cursor] == zero, hexValue(bytes[cursor + 1]) != nil { cursor += 1 }
            let significant = cursor
            while cursor < lineFeed - 1, let digit = hexValue(bytes[cursor]) {
                guard cursor - significant < 15 else {
                    return .failure(HTTPServerError(code: .bodyTooLarge, message: "chunk size has too many digits"))
                }
                size = size << 4 | Int(digit)
                cursor += 1
            }
            guard cursor > index else {
                return .failure(HTTPServerError(code: .malformedChunk, message: "chunk size must be hexadecimal digits"))
            }
            if cursor < lineFeed - 1 {
                let next = bytes[cursor]
                guard next == semicolon || next == space || next == tab else {
                    return .failure(HTTPServerError(code: .malformedChunk, message: "unexpected byte 0x\(String(next, radix: 16)) after chunk size"))
                }
            }
            index = lineFeed + 1
            if size == 0 { break }
            total += size
            guard total <= maxBody else {
                return .failure(HTTPServerError(code: .bodyTooLarge, message: "chunked body exceeds \(maxBody) bytes"))
            }
            // chunk-data CRLF
            guard count - index >= size + 2 else { return .incomplete }
            guard bytes[index + size] == cr, bytes[index + size + 1] == lf else {
                return .failure(HTTPServerError(code: .malformedChunk, message: "chunk data must be followed by CRLF"))
            }
            chunks.append(index..<(index + size))
            index += size + 2
        }
        // trailer-section CRLF: skip trailer lines up to the empty line.
        let trailerStart = index
        while true {
            guard let lineFeed = find(lf, in: bytes, from: index, to: count) else {
                if count - trailerStart > limits.maxHeaderBytes {
                    return .failure(HTTPServerError(code: .headersTooLarge, message: "trailer fields longer than \(limits.maxHeaderBytes) bytes"))
                }
                return .incomplete
            }
            guard lineFeed > index, bytes[lineFeed - 1] == cr else {
                return .failure(HTTPServerError(code: .malformedChunk, message: "trailer line must end with CRLF"))
            }
            let empty = lineFeed == index + 1
            index = lineFeed + 1
            if empty { break }
            if index - trailerStart > limits.maxHeaderBytes {
                return .failure(HTTPServerError(code: .headersTooLarge, message: "trailer fields longer than \(limits.maxHeaderBytes) bytes"))
            }
        }
        var body: [UInt8] = []
        body.reserveCapacity(total)
        for chunk in chunks { body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunk])) }
        return .complete(body: body, end: index)
    }
}
