extension HTTPServer {
    /// Where to listen and how to protect the server from large, slow or idle clients.
    public struct Configuration: Sendable {
        /// The IPv4 address to bind, e.g. `"127.0.0.1"` or `"0.0.0.0"`.
        public var host: String
        /// The TCP port; 0 picks an ephemeral port (read it from ``HTTPServer/start()``).
        public var port: Int
        /// Size limits on requests.
        public var limits: Limits
        /// Read, idle and shutdown timeouts.
        public var timeouts: Timeouts
        /// The number of event-loop threads; defaults to the number of active processors.
        public var eventLoops: Int
        /// The `listen(2)` backlog.
        public var backlog: Int
        /// Whether responder tasks prefer the event loop that received the request as their task executor (the
        /// default), so a responder that does not hop elsewhere runs on the loop thread without a thread switch.
        /// Set to `false` for CPU-heavy responders, which then run on the global concurrent pool.
        public var respondersRunOnEventLoops: Bool

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: The IPv4 address to bind; `"127.0.0.1"` by default.
        ///   - port: The port; 0 (ephemeral) by default.
        ///   - limits: Request size limits.
        ///   - timeouts: Connection timeouts.
        ///   - eventLoops: Event-loop threads; `nil` means one per active processor.
        ///   - backlog: The listen backlog; 1024 by default.
        ///   - respondersRunOnEventLoops: Whether responder tasks run on the event loops; `true` by default.
        public init(
            host: String = "127.0.0.1", port: Int = 0, limits: Limits = Limits(), timeouts: Timeouts = Timeouts(),
            eventLoops: Int? = nil, backlog: Int = 1024, respondersRunOnEventLoops: Bool = true
        ) {
            self.host = host
            self.port = port
            self.limits = limits
            self.timeouts = timeouts
            self.eventLoops = max(1, eventLoops ?? defaultEventLoopCount())
            self.backlog = backlog
            self.respondersRunOnEventLoops = respondersRunOnEventLoops
        }
    }

    /// Request size limits; exceeding one gets the matching status and the connection is closed.
    public struct Limits: Sendable {
        /// The longest request line, CRLF included (414 beyond it). Default 8 KiB.
        public var maxRequestLineBytes: Int
        /// The most bytes of header fields after the request line (431 beyond it). Default 32 KiB.
        public var maxHeaderBytes: Int
        /// The most header fields (431 beyond it). Default 100.
        public var maxHeaderCount: Int
        /// The largest body, after de-chunking (413 beyond it). Default 1 MiB.
        public var maxBodyBytes: Int

        /// Creates limits; every argument has the documented default.
        public init(
            maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 1024 * 1024
        ) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// Connection timeouts, so a slow or silent client cannot hold resources for ever.
    public struct Timeouts: Sendable {
        /// The longest time from the first byte of a request to its last (408 and close beyond it). Default 10 s.
        public var read: Duration
        /// The longest time a keep-alive connection may sit idle between requests (closed beyond it). Default 60 s.
        public var idle: Duration
        /// The longest time a pending response may make no progress to the client (reset beyond it). Default 10 s.
        public var write: Duration
        /// During graceful shutdown, how long to wait for in-flight requests before closing everything. Default 10 s.
        public var shutdownGrace: Duration

        /// Creates timeouts; every argument has the documented default.
        public init(
            read: Duration = .seconds(10), idle: Duration = .seconds(60), write: Duration = .seconds(10),
            shutdownGrace: Duration = .seconds(10)
        ) {
            self.read = read
            self.idle = idle
            self.write = write
            self.shutdownGrace = shutdownGrace
        }
    }
}
