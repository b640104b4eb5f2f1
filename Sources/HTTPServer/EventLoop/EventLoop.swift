import Glibc
import Synchronization

/// One epoll event loop on its own thread: accepts connections, reads, parses, responds and writes.
///
/// Each loop shares the listening socket (registered with `EPOLLEXCLUSIVE`) and owns the connections it accepted.
/// Responses from asynchronous responders come back through `mailbox`, and a write to `wakeFD` (an eventfd) wakes
/// the loop to send them.
final class EventLoop: @unchecked Sendable {
    // Everything except `mailbox` and `wakePending` is confined to the loop's thread (`run()`); those two are
    // synchronised by their own Mutex / Atomic. The `let` properties are immutable after init.

    /// A message for the loop from another thread.
    enum Message: Sendable {
        case response(Connection, HTTPResponse, ResponseContext)
        case shutdown
    }

    let epollFD: Int32
    let wakeFD: Int32
    let listenFD: Int32
    let responder: any HTTPResponder
    let immediate: (any HTTPImmediateResponder)?
    let parser: HTTPRequestParser
    let timeouts: (read: UInt64, idle: UInt64, write: UInt64, grace: UInt64)
    let sweepInterval: UInt64
    let mailbox = Mutex<[Message]>([])
    let wakePending = Atomic<Bool>(false)
    let onExit: @Sendable () -> Void

    var connections: [Int32: Connection] = [:]
    var serializer = ResponseSerializer()
    var readBuffer: UnsafeMutableRawBufferPointer
    var shuttingDown = false
    var shutdownDeadline: UInt64 = 0
    var nextSweep: UInt64 = 0
    var inFlight = 0

    static let readable = Epoll.input
    static let writable = Epoll.output

    init(listenFD: Int32, configuration: HTTPServer.Configuration, responder: any HTTPResponder, onExit: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        self.listenFD = listenFD
        self.responder = responder
        self.immediate = responder as? any HTTPImmediateResponder
        self.parser = HTTPRequestParser(limits: configuration.limits)
        let t = configuration.timeouts
        timeouts = (t.read.nanoseconds, t.idle.nanoseconds, t.write.nanoseconds, t.shutdownGrace.nanoseconds)
        sweepInterval = min(max(min(timeouts.read, timeouts.idle, timeouts.write) / 4, 5_000_000), 1_000_000_000)
        self.onExit = onExit
        epollFD = epollCreate(Epoll.closeOnExec)
        guard epollFD >= 0 else { throw Socket.failure("epoll_create1") }
        wakeFD = makeEventFD(0, Epoll.eventFDNonBlocking | Epoll.eventFDCloseOnExec)
        guard wakeFD >= 0 else {
            close(epollFD)
            throw Socket.failure("eventfd")
        }
        readBuffer = .allocate(byteCount: 65536, alignment: 16)
        register(wakeFD, events: Self.readable)
        register(listenFD, events: Self.readable | Epoll.exclusive)
    }

    deinit {
        readBuffer.deallocate()
        close(epollFD)
        close(wakeFD)
    }

    // MARK: - Cross-thread entry points

    /// Queues a message and wakes the loop if it is not already about to wake.
    func post(_ message: Message) {
        mailbox.withLock { $0.append(message) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    // MARK: - The loop

    /// Runs until shutdown has closed every connection.
    func run() {
        let events = UnsafeMutableRawPointer.allocate(byteCount: 256 * Epoll.eventStride, alignment: 8)
        defer {
            events.deallocate()
            onExit()
        }
        var now = monotonicNanoseconds()
        nextSweep = now + sweepInterval
        while true {
            let waitMs = Int32(clamping: (nextSweep > now ? nextSweep - now : 0) / 1_000_000 + 1)
            let count = epollWait(epollFD, events, 256, waitMs)
            now = monotonicNanoseconds()
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let event = Epoll.event(in: events, at: index)
                let fd = event.fd
                if fd == wakeFD {
                    drainMailbox(now: now)
                } else if fd == listenFD {
                    acceptConnections(now: now)
                } else if let connection = connections[fd] {
                    handle(connection, events: event.events, now: now)
                }
            }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + sweepInterval
            }
            if shuttingDown && connections.isEmpty && (inFlight == 0 || now >= shutdownDeadline) { break }
        }
        for connection in connections.values { closeConnection(connection) }
    }

    private func acceptConnections(now: UInt64) {
        guard !shuttingDown else { return }
        for _ in 0..<64 {
            guard let (fd, remote) = Socket.accept(listenFD) else { return }
            let connection = Connection(fd: fd, remoteAddress: remote, now: now, interest: Self.readable)
            connections[fd] = connection
            register(fd, events: Self.readable)
        }
    }

    private func drainMailbox(now: UInt64) {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        wakePending.store(false, ordering: .sequentiallyConsistent)
        let messages = mailbox.withLock { box in
            defer { box.removeAll(keepingCapacity: true) }
            return box
        }
        for message in messages {
            switch message {
            case .shutdown:
                beginShutdown(now: now)
            case .response(let connection, let response, let context):
                inFlight -= 1
                guard !connection.closed else { continue }
                finishResponse(connection, response, context: context, now: now)
                processInput(connection, now: now)
                flush(connection, now: now)
            }
        }
    }

    private func beginShutdown(now: UInt64) {
        guard !shuttingDown else { return }
        shuttingDown = true
        shutdownDeadline = now + timeouts.grace
        _ = epollControl(epollFD, Epoll.delete, listenFD, nil)
        for connection in Array(connections.values) where connection.state == .idle && !connection.hasPendingOutput {
            closeConnection(connection)
        }
    }

    // MARK: - Per-connection events

    private func handle(_ connection: Connection, events: UInt32, now: UInt64) {
        if events & (Epoll.error | Epoll.hangUp) != 0 && events & Self.readable == 0 {
            closeConnection(connection)
            return
        }
        if events & Self.writable != 0 {
            flush(connection, now: now)
            if connection.closed { return }
        }
        if events & Self.readable != 0 {
            readAvailable(connection, now: now)
        }
    }

    private func readAvailable(_ connection: Connection, now: UInt64) {
        let capacity = readBuffer.count
        var received = 0
        while true {
            let n = read(connection.fd, readBuffer.baseAddress, capacity)
            if n > 0 {
                received += n
                if connection.state == .draining { continue }
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                if n < capacity || received >= 4 * capacity { break }
            } else if n == 0 {
                connection.readClosed = true
                break
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                closeConnection(connection)
                return
            }
        }
        if connection.state == .draining {
            if connection.readClosed { closeConnection(connection) }
            return
        }
        if connection.state == .idle && received > 0 {
            connection.state = .reading
            connection.since = now
        }
        processInput(connection, now: now)
        flush(connection, now: now)
        guard !connection.closed else { return }
        if connection.readClosed {
            // Nothing more will arrive: finish what is in flight, otherwise close.
            if connection.state != .responding && !connection.hasPendingOutput {
                closeConnection(connection)
            } else {
                updateInterest(connection)
            }
        } else if connection.state == .responding {
            updateInterest(connection)
        }
    }
}
