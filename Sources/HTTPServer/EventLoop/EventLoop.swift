import Glibc
import Synchronization

/// One epoll event loop on its own thread: accepts connections, reads, parses, responds and writes.
///
/// Each loop shares the listening socket (registered with `EPOLLEXCLUSIVE`) and owns the connections it accepted.
/// The loop is also a `TaskExecutor`: responder tasks prefer it, so a responder that never leaves it runs on the
/// loop thread without a thread hop. Jobs, responses and commands from other threads arrive through `mailbox`, and a
/// write to `wakeFD` (an eventfd) wakes the loop for them.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    // Everything except `mailbox`, `wakePending` and `threadID` is confined to the loop's thread (`run()`); those are
    // synchronised by their own Mutex / Atomics. The `let` properties are immutable after init.

    /// The queue of messages, closed when the loop exits.
    struct Mailbox {
        var messages: [Message] = []
        var closed = false
    }

    /// Work for the loop, possibly from another thread.
    enum Message: @unchecked Sendable {
        // UnownedJob is only run by the loop it was enqueued on.
        case job(UnownedJob)
        case response(Connection, HTTPResponse, ResponseContext)
        /// A body stream of the connection has bytes to take (or finished).
        case streamReady(Connection)
        case shutdown
        /// Takes over a connection another loop accepted (round-robin balancing).
        case adopt(fd: Int32, remoteAddress: String)
        /// Reports the number of open connections (for tests).
        case count(@Sendable (Int) -> Void)
    }

    let epollFD: Int32
    let wakeFD: Int32
    let listenFD: Int32
    let responder: any HTTPResponder
    let immediate: (any HTTPImmediateResponder)?
    let respondOnLoop: Bool
    let parser: HTTPRequestParser
    let timeouts: (read: UInt64, idle: UInt64, write: UInt64, grace: UInt64)
    let sweepInterval: UInt64
    let mailbox = Mutex<Mailbox>(Mailbox())
    let wakePending = Atomic<Bool>(false)
    let threadID = Atomic<UInt>(0)
    let onExit: @Sendable () -> Void

    var connections: [Int32: Connection] = [:]
    var serializer = ResponseSerializer()
    var readBuffer: UnsafeMutableRawBufferPointer
    var shuttingDown = false
    var shutdownDeadline: UInt64 = 0
    var nextSweep: UInt64 = 0
    var inFlight = 0
    var acceptPaused = false
    /// All loops of the server (this one included), set before the threads start and cleared when this loop
    /// exits; accepted connections are dealt round-robin over them.
    var peers: [EventLoop] = []
    var nextPeer = 0

    static let readable = Epoll.input
    static let writable = Epoll.output

    init(listenFD: Int32, configuration: HTTPServer.Configuration, responder: any HTTPResponder, onExit: @escaping @Sendable () -> Void) throws(HTTPServerError) {
        self.listenFD = listenFD
        self.responder = responder
        self.immediate = responder as? any HTTPImmediateResponder
        self.respondOnLoop = configuration.respondersRunOnEventLoops
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

    /// Queues a message; wakes the loop unless this is the loop thread or a wake-up is already pending.
    func post(_ message: Message) {
        let accepted = mailbox.withLock { box in
            guard !box.closed else { return false }
            box.messages.append(message)
            return true
        }
        guard accepted else {
            Self.discard(message)
            return
        }
        if threadID.load(ordering: .relaxed) == UInt(pthread_self()) { return }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Disposes of a message for a loop that has exited: stray jobs go to the global executor, handed-over
    /// sockets are closed, responses have nowhere to go.
    static func discard(_ message: Message) {
        switch message {
        case .job(let job): globalConcurrentExecutor.enqueue(ExecutorJob(job))
        case .adopt(let fd, _): close(fd)
        default: break
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        post(.job(UnownedJob(job)))
    }

    // MARK: - The loop

    /// Runs until shutdown has closed every connection.
    func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        let events = UnsafeMutableRawPointer.allocate(byteCount: 256 * Epoll.eventStride, alignment: 8)
        defer {
            events.deallocate()
            threadID.store(0, ordering: .relaxed)
            let stranded = mailbox.withLock { box in
                box.closed = true
                defer { box.messages = [] }
                return box.messages
            }
            stranded.forEach(Self.discard)
            peers = []
            onExit()
        }
        var now = monotonicNanoseconds()
        nextSweep = now + sweepInterval
        while true {
            let pending = mailbox.withLock { !$0.messages.isEmpty }
            let waitMs = pending ? 0 : Int32(clamping: (nextSweep > now ? nextSweep - now : 0) / 1_000_000 + 1)
            let count = epollWait(epollFD, events, 256, waitMs)
            now = monotonicNanoseconds()
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let event = Epoll.event(in: events, at: index)
                let fd = event.fd
                if fd == wakeFD {
                    var counter: UInt64 = 0
                    _ = read(wakeFD, &counter, 8)
                    wakePending.store(false, ordering: .sequentiallyConsistent)
                } else if fd == listenFD {
                    acceptConnections(now: now)
                } else if let connection = connections[fd] {
                    handle(connection, events: event.events, now: now)
                }
            }
            processMessages(now: now)
            if now >= nextSweep {
                resumeAcceptingIfPaused()
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
            guard let (fd, remote) = Socket.accept(listenFD) else {
                let code = errno
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors or memory: stop watching the listener (it would stay readable and spin
                    // the loop) until the next sweep.
                    _ = epollControl(epollFD, Epoll.delete, listenFD, nil)
                    acceptPaused = true
                }
                return
            }
            let target = peers.isEmpty ? self : peers[nextPeer % peers.count]
            nextPeer &+= 1
            if target === self {
                adopt(fd: fd, remoteAddress: remote, now: now)
            } else {
                target.post(.adopt(fd: fd, remoteAddress: remote))
            }
        }
    }

    /// Starts serving an accepted socket on this loop.
    private func adopt(fd: Int32, remoteAddress: String, now: UInt64) {
        guard !shuttingDown else {
            close(fd)
            return
        }
        let connection = Connection(fd: fd, remoteAddress: remoteAddress, now: now, interest: Self.readable)
        connections[fd] = connection
        register(fd, events: Self.readable)
    }

    /// Watches the listener again after `acceptConnections` paused it.
    func resumeAcceptingIfPaused() {
        guard acceptPaused, !shuttingDown else { return }
        acceptPaused = false
        register(listenFD, events: Self.readable | Epoll.exclusive)
    }

    /// Runs queued jobs and delivers responses; a few rounds, so jobs that enqueue jobs cannot starve I/O.
    private func processMessages(now: UInt64) {
        for _ in 0..<8 {
            let messages = mailbox.withLock { box in
                defer { box.messages.removeAll(keepingCapacity: true) }
                return box.messages
            }
            if messages.isEmpty { return }
            for message in messages {
                switch message {
                case .job(let job):
                    job.runSynchronously(on: asUnownedTaskExecutor())
                case .shutdown:
                    beginShutdown(now: now)
                case .count(let report):
                    report(connections.count)
                case .adopt(let fd, let remoteAddress):
                    adopt(fd: fd, remoteAddress: remoteAddress, now: now)
                case .streamReady(let connection):
                    guard !connection.closed else { continue }
                    pumpStream(connection)
                    flush(connection, now: now)
                case .response(let connection, let response, let context):
                    inFlight -= 1
                    guard !connection.closed else { continue }
                    finishResponse(connection, response, context: context, now: now)
                    processInput(connection, now: now)
                    flush(connection, now: now)
                }
            }
        }
    }

    private func beginShutdown(now: UInt64) {
        guard !shuttingDown else { return }
        shuttingDown = true
        shutdownDeadline = now + timeouts.grace
        if !acceptPaused { _ = epollControl(epollFD, Epoll.delete, listenFD, nil) }
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
                if connection.state != .draining && connection.state != .streaming {
                    connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                }
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
        if connection.state == .draining || connection.state == .streaming {
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
