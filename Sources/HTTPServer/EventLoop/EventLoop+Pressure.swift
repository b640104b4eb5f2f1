import Glibc

/// The connection limit: making room for a new client, or refusing it (issue 12, D3).
extension EventLoop {
    /// Closes the connections that have waited longest without a request in progress (idle keep-alive
    /// connections, and connections stuck in a partial request head), about a sixteenth of the limit at once so
    /// that a stream of new clients does not scan every connection each time.
    /// - Returns: whether there is room for one more connection now.
    /// - Complexity: O(n log n) in the connections of this loop, once per batch.
    func makeRoom(now: UInt64) -> Bool {
        var candidates: [(since: UInt64, connection: Connection)] = []
        for connection in connections.values where !connection.hasPendingOutput && !connection.closeAfterWrite {
            switch connection.state {
            case .idle, .reading: candidates.append((connection.since, connection))
            case .responding, .draining, .streaming: break  // a live event stream is a subscriber, not an idle client
            }
        }
        guard !candidates.isEmpty else { return false }
        let batch = min(candidates.count, max(1, connectionLimit / 16))
        candidates.sort { $0.since < $1.since }
        for (_, connection) in candidates.prefix(batch) { closeConnection(connection) }
        return connections.count < connectionLimit
    }

    /// Answers a connection there is no room for with `503` and `Connection: close`, without registering it.
    ///
    /// The socket is new, so its send buffer is empty and the short response fits; the write does not block.
    func refuse(fd: Int32) {
        var bytes: [UInt8] = []
        serializer.appendError(
            503, message: "the server is at its connection limit of \(connectionLimit) per event loop; retry later",
            to: &bytes)
        bytes.withUnsafeBytes { buffer in
            _ = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        }
        close(fd)
    }
}
