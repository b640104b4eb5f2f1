import Glibc

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
        /// The most open client connections over all event loops; `nil` (the default) derives it from the
        /// process's descriptor limit (`RLIMIT_NOFILE`), keeping a quarter of it, at least 64 descriptors, for
        /// everything else (files, the database, outgoing connections). See ``HTTPServer/Limits/connectionLimit``.
        ///
        /// At the limit a new connection makes room by closing the connections that have been idle (or stuck in a
        /// partial request) the longest; when every connection is busy it is answered `503` and closed at once. So
        /// thousands of idle sockets cannot lock out new clients or `GET /health`.
        public var maxConnections: Int?

        /// Creates limits; every argument has the documented default.
        public init(
            maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 1024 * 1024, maxConnections: Int? = nil
        ) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxConnections = maxConnections
        }

        /// The connection limit in effect: ``maxConnections``, or the one derived from `RLIMIT_NOFILE`.
        public var connectionLimit: Int {
            if let maxConnections { return max(1, maxConnections) }
            return Self.defaultConnectionLimit(descriptorLimit: currentDescriptorLimit())
        }

        /// The limit derived from a descriptor limit: three quarters of it, and at least 64 descriptors kept free.
        /// - Complexity: O(1).
        public static func defaultConnectionLimit(descriptorLimit: Int) -> Int {
            let reserve = max(64, descriptorLimit / 4)
            return max(16, descriptorLimit - reserve)
        }
    }

    /// Connection timeouts, so a slow or silent client cannot hold resources for ever.
    public struct Timeouts: Sendable {
        /// The longest time from the first byte of a request to its last (408 and close beyond it). Default 10 s.
        public var read: Duration
        /// The longest time a keep-alive connection may sit idle between requests (closed beyond it). Default 60 s.
        public var idle: Duration
        /// The idle timeout while the server is under pressure, i.e. holds more than half of its connection limit
        /// (``HTTPServer/Limits/connectionLimit``). Default 5 s.
        public var idleUnderPressure: Duration
        /// The longest time a pending response may make no progress to the client (reset beyond it). Default 10 s.
        public var write: Duration
        /// During graceful shutdown, how long to wait for in-flight requests before closing everything. Default 10 s.
        public var shutdownGrace: Duration

        /// Creates timeouts; every argument has the documented default.
        public init(
            read: Duration = .seconds(10), idle: Duration = .seconds(60), write: Duration = .seconds(10),
            shutdownGrace: Duration = .seconds(10), idleUnderPressure: Duration = .seconds(5)
        ) {
            self.read = read
            self.idle = idle
            self.idleUnderPressure = idleUnderPressure
            self.write = write
            self.shutdownGrace = shutdownGrace
        }
    }
}

/// The soft `RLIMIT_NOFILE` of the process: 1024 when it cannot be read, at most 1,048,576 (unlimited included).
func currentDescriptorLimit() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    return Int(min(limit.rlim_cur, 1 << 20))
}
