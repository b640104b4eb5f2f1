import Glibc

/// How to frame one response: decided when its request was parsed.
struct ResponseContext: Sendable {
    var isHead: Bool
    var keepAlive: Bool
    var http10: Bool
}

extension EventLoop {
    /// The most input buffered while a request is with an asynchronous responder before reading pauses.
    var maxBufferedWhileResponding: Int { parser.limits.maxRequestLineBytes + parser.limits.maxHeaderBytes + 65536 }

    /// Parses and answers every complete request in the connection's input, stopping at an asynchronous one.
    func processInput(_ connection: Connection, now: UInt64) {
        guard connection.state != .responding, connection.state != .draining, connection.state != .streaming else { return }
        parsing: while connection.hasPendingInput && !connection.closeAfterWrite {
            let outcome = connection.input.withUnsafeBufferPointer { buffer in
                parser.parse(UnsafeBufferPointer(rebasing: buffer[connection.inputStart...]), scanFrom: &connection.scanFrom)
            }
            switch outcome {
            case .incomplete(let head):
                if connection.state == .idle {
                    connection.state = .reading
                    connection.since = now
                }
                if let head, head.expectsContinue, !connection.sentContinue {
                    connection.output.append(contentsOf: Self.continueLine)
                    connection.sentContinue = true
                }
                break parsing
            case .failure(let error):
                serializer.appendError(error.status, message: error.message, to: &connection.output)
                connection.closeAfterWrite = true
                connection.inputStart = connection.input.count
                break parsing
            case .complete(let head, let body, let consumed):
                connection.inputStart += consumed
                connection.scanFrom = 0
                connection.sentContinue = false
                let request = HTTPRequest(
                    method: head.method, path: head.path, query: head.query, version: head.version,
                    headers: head.headers, body: body, remoteAddress: connection.remoteAddress
                )
                let context = ResponseContext(isHead: head.method == .head, keepAlive: head.keepAlive, http10: head.version.minor == 0)
                if let immediate, let response = immediate.respondImmediately(to: request) {
                    finishResponse(connection, response, context: context, now: now)
                    continue parsing
                }
                connection.state = .responding
                inFlight += 1
                let responder = self.responder
                let body: @Sendable () async -> Void = {
                    let response = await responder.respond(to: request)
                    self.post(.response(connection, response, context))
                }
                if respondOnLoop { Task(executorPreference: self, operation: body) } else { Task(operation: body) }
                break parsing
            }
        }
        connection.compactInput()
        if connection.state == .idle && connection.hasPendingInput {
            connection.state = .reading
            connection.since = now
        }
    }

    static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Serializes a response into the connection's output and moves it back to idle.
    func finishResponse(_ connection: Connection, _ response: HTTPResponse, context: ResponseContext, now: UInt64) {
        if let stream = response.stream {
            startStream(connection, response, stream, context: context, now: now)
            return
        }
        var keepAlive = context.keepAlive && !shuttingDown
        if keepAlive, let value = response.headers["connection"], HTTPHeaders.namesEqual(value, "close") { keepAlive = false }
        let field: StaticString? = keepAlive ? (context.http10 ? "keep-alive" : nil) : "close"
        serializer.append(response, isHead: context.isHead, connection: field, to: &connection.output)
        if !keepAlive { connection.closeAfterWrite = true }
        connection.state = .idle
        connection.since = now
    }

    /// Writes pending output; on completion closes, drains or re-arms reading as the connection requires.
    func flush(_ connection: Connection, now: UInt64) {
        guard !connection.closed else { return }
        while connection.hasPendingOutput {
            let written = connection.output.withUnsafeBytes { bytes in
                send(connection.fd, bytes.baseAddress! + connection.outputStart, bytes.count - connection.outputStart, Int32(MSG_NOSIGNAL))
            }
            if written >= 0 {
                connection.outputStart += written
                connection.writeBlockedSince = 0  // progress: the write timeout counts from the last progress
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                if connection.writeBlockedSince == 0 { connection.writeBlockedSince = now }
                connection.stream?.update(unsent: connection.output.count - connection.outputStart)
                updateInterest(connection)
                return
            } else {
                closeConnection(connection)
                return
            }
        }
        if connection.output.capacity > 65536 { connection.output = [] } else { connection.output.removeAll(keepingCapacity: true) }
        connection.outputStart = 0
        connection.writeBlockedSince = 0
        connection.stream?.update(unsent: 0)
        if connection.closeAfterWrite && connection.state != .responding {
            if connection.readClosed {
                closeConnection(connection)
                return
            }
            // Half-close and discard what the client still sends, so it reads our response instead of a reset.
            shutdown(connection.fd, Int32(SHUT_WR))
            connection.state = .draining
            connection.since = now
            connection.input = []
            connection.inputStart = 0
        } else if shuttingDown && connection.state == .idle && !connection.hasPendingInput {
            closeConnection(connection)
            return
        }
        updateInterest(connection)
    }

    /// Registers exactly the epoll events the connection needs now.
    func updateInterest(_ connection: Connection) {
        guard !connection.closed else { return }
        let desired: UInt32
        if connection.hasPendingOutput {
            desired = Self.writable
        } else if connection.readClosed {
            desired = 0
        } else if connection.state == .responding && connection.input.count - connection.inputStart > maxBufferedWhileResponding {
            desired = 0
        } else {
            desired = Self.readable
        }
        guard desired != connection.interest else { return }
        Epoll.control(epollFD, Epoll.modify, connection.fd, events: desired)
        connection.interest = desired
    }

    /// Applies the read, idle, write, drain and shutdown deadlines.
    func sweep(now: UInt64) {
        let pastGrace = shuttingDown && now >= shutdownDeadline
        for connection in Array(connections.values) {
            if pastGrace {
                closeConnection(connection, abort: connection.hasPendingOutput)
                continue
            }
            if connection.writeBlockedSince != 0 && now - connection.writeBlockedSince > timeouts.write {
                closeConnection(connection, abort: true)
                continue
            }
            let age = now - min(now, connection.since)
            switch connection.state {
            case .idle:
                if !connection.hasPendingOutput && (age > timeouts.idle || shuttingDown) { closeConnection(connection) }
            case .reading:
                if age > timeouts.read && !connection.closeAfterWrite {
                    serializer.appendError(408, message: "the request was not received within the read timeout", to: &connection.output)
                    connection.closeAfterWrite = true
                    connection.inputStart = connection.input.count
                    flush(connection, now: now)
                }
            case .responding, .streaming:
                break
            case .draining:
                if age > min(timeouts.read, 2_000_000_000) { closeConnection(connection) }
            }
        }
    }

    /// Closes the socket and forgets the connection; a response still in flight for it is dropped.
    /// - Parameter abort: Reset the connection (`SO_LINGER` 0) so unsent output is discarded at once instead of
    ///   lingering in the kernel; used for clients that stopped reading.
    func closeConnection(_ connection: Connection, abort: Bool = false) {
        guard !connection.closed else { return }
        connection.closed = true
        connections[connection.fd] = nil
        if let stream = connection.stream {
            connection.stream = nil
            stream.connectionClosed()
        }
        if abort {
            var option = linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        }
        close(connection.fd)
    }

    /// Adds `fd` to the epoll set.
    func register(_ fd: Int32, events: UInt32) {
        Epoll.control(epollFD, Epoll.add, fd, events: events)
    }
}
