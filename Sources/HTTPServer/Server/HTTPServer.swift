import Foundation
import Glibc
import Synchronization

/// An HTTP/1.1 server on POSIX sockets and epoll, with one event-loop thread per core.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "0.0.0.0", port: 4001), responder: router)
/// let port = try server.start()
/// _ = await TerminationSignal.wait()
/// await server.shutdown()
/// ```
///
/// Supports keep-alive and pipelining, `Content-Length` and chunked request bodies, `Expect: 100-continue`,
/// `HEAD`, HTTP/1.0, size limits (414/431/413), read/idle/write timeouts and graceful shutdown.
/// See `Docs/HTTP_SERVER.md` for the design.
public final class HTTPServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: Configuration
    private let responder: any HTTPResponder
    private let state = Mutex(State.created)

    private enum State {
        case created
        case running(listenFD: Int32, port: Int, loops: [EventLoop], remaining: Int, waiters: [CheckedContinuation<Void, Never>])
        case stopped
    }

    /// Creates a server; nothing is bound until ``start()``.
    /// - Parameters:
    ///   - configuration: Address, limits, timeouts and loop count.
    ///   - responder: Answers every request; called concurrently from all loops.
    public init(configuration: Configuration = Configuration(), responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// Binds, listens and starts the event-loop threads.
    /// - Returns: The bound port (useful with port 0).
    /// - Throws: ``HTTPServerError`` with `.invalidAddress`, `.socketFailure` or `.alreadyStarted`.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        try state.withLock { (state: inout State) throws(HTTPServerError) -> Int in
            guard case .created = state else {
                throw HTTPServerError(code: .alreadyStarted, message: "start() may be called once per server")
            }
            signal(SIGPIPE, SIG_IGN)
            let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            var loops: [EventLoop] = []
            do throws(HTTPServerError) {
                for _ in 0..<configuration.eventLoops {
                    loops.append(try EventLoop(listenFD: fd, configuration: configuration, responder: responder) { [weak self] in
                        self?.loopExited()
                    })
                }
            } catch {
                close(fd)
                throw error
            }
            state = .running(listenFD: fd, port: port, loops: loops, remaining: loops.count, waiters: [])
            for (index, loop) in loops.enumerated() {
                let thread = Thread { loop.run() }
                thread.name = "http-loop-\(index)"
                thread.start()
            }
            return port
        }
    }

    /// The bound port while the server runs, else `nil`.
    public var port: Int? {
        state.withLock { if case .running(_, let port, _, _, _) = $0 { port } else { nil } }
    }

    /// Suspends until the server has stopped (after ``shutdown()``); returns at once if it never started.
    public func run() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = state.withLock { state in
                guard case .running(let fd, let port, let loops, let remaining, var waiters) = state else { return true }
                waiters.append(continuation)
                state = .running(listenFD: fd, port: port, loops: loops, remaining: remaining, waiters: waiters)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Shuts down gracefully and returns when done.
    ///
    /// Stops accepting, closes idle connections, lets in-flight requests finish (their responses carry
    /// `Connection: close`), then closes the rest; anything still open after `timeouts.shutdownGrace` is closed.
    public func shutdown() async {
        let loops: [EventLoop] = state.withLock { state in
            switch state {
            case .created:
                state = .stopped
                return []
            case .running(_, _, let loops, _, _): return loops
            case .stopped: return []
            }
        }
        for loop in loops { loop.post(.shutdown) }
        await run()
    }

    /// The number of open connections over all loops, counted by each loop between its event batches
    /// (so closes the kernel already reported are included). For tests.
    func openConnectionCount() async -> Int {
        let loops: [EventLoop] = state.withLock { state in
            if case .running(_, _, let loops, _, _) = state { loops } else { [] }
        }
        var total = 0
        for loop in loops {
            total += await withCheckedContinuation { continuation in
                loop.post(.count { continuation.resume(returning: $0) })
            }
        }
        return total
    }

    /// Called on each loop thread as it exits; the last one closes the listener and wakes `run()` callers.
    private func loopExited() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard case .running(let fd, let port, let loops, let remaining, let waiters) = state else { return [] }
            if remaining > 1 {
                state = .running(listenFD: fd, port: port, loops: loops, remaining: remaining - 1, waiters: waiters)
                return []
            }
            close(fd)
            state = .stopped
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
