import Foundation

/// The command line of `worker-demo` (API.md section 4), parsed by hand.
struct Options {
    enum Command: String {
        case serve, worker, gateway
    }

    var command: Command = .serve
    var host = "127.0.0.1"
    /// `worker`/`gateway`: `--port`, else env PORT, else 4001/4000.
    var port: Int?
    /// `serve`: the two ports.
    var workerPort = 4001
    var gatewayPort = 4000
    var store: String
    var workerURL: String
    var concurrency = 4
    /// env WORKER_LEASE_SECONDS: the lease a claim gets (default 30 s); short leases make a killed
    /// worker's tasks come back sooner (the multi-process tests use 3).
    var leaseSeconds: Int?
    /// env WORKER_DEMO_ATTEMPT_LOG (test-only, off by default): a file that gets one JSON line per
    /// attempt start and finish of every demo handler (``AttemptLog``; the torture harness reads it).
    var attemptLogPath: String?
    /// env WORKER_DEMO_CLOCK_OFFSET_MS (test-only, off by default): run as if this machine's clock
    /// were off by that many milliseconds (``OffsetClock``; the torture test's skewed worker).
    var clockOffsetMilliseconds: Int?
    /// `--queues a,b` (env WORKER_QUEUES): the queues the pool claims from; `nil` for all.
    var queues: Set<String>?
    /// `--priority-aging SECONDS` (env WORKER_PRIORITY_AGING).
    var priorityAgingSeconds: Int?
    var showHelp = false
    /// `--api-tokens` / env WORKER_API_TOKENS: `role:token,...` (API.md section 10); `nil` = no access control.
    var apiTokens: String?
    /// `--cors-origin` (repeatable) / env WORKER_CORS_ORIGINS (comma-separated).
    var corsOrigins: [String] = []

    static let defaultStore = "sqlite:./worker-data/worker.sqlite"

    static let usage = """
        usage: worker-demo [command] [options]

        commands:
          serve                 worker REST API and GraphQL gateway in one process (the default)
          worker                the worker service alone (REST on --port, default 4001, env PORT)
          gateway               the GraphQL gateway alone, reaching a worker over HTTP
                                (--port default 4000, env PORT)
          cron EXPR [--tz ZONE] [--from ISO8601] [--count N]
                                print the next N fire times of a cron expression

        options:
          --host ADDRESS        bind address (default 127.0.0.1)
          --port N              port of `worker` or `gateway`
          --worker-port N       REST port of `serve` (default 4001)
          --gateway-port N      GraphQL port of `serve` (default 4000)
          --store SPEC          memory | sqlite:PATH | postgres://... (env WORKER_STORE,
                                default sqlite:./worker-data/worker.sqlite)
          --worker-url URL      the worker a `gateway` reaches (env WORKER_SERVICE_URL,
                                default http://localhost:4001)
          --concurrency N       worker slots (default 4)
          --api-tokens LIST     require bearer tokens: read:TOKEN,write:TOKEN,... (env
                                WORKER_API_TOKENS); unset, anyone who reaches the ports may
                                do everything
          --cors-origin ORIGIN  answer CORS preflights from ORIGIN (repeatable; env
                                WORKER_CORS_ORIGINS, comma-separated); default: no CORS
          --queues A,B          claim only tasks of these queues (env WORKER_QUEUES; default all)
          --priority-aging S    a ready task gains one priority level per S seconds waited, up to 20
                                (env WORKER_PRIORITY_AGING; default off)
          -h, --help            this text

        environment: PORT, WORKER_STORE, WORKER_SERVICE_URL as above; WORKER_LEASE_SECONDS
        (lease of a claimed task, default 30). Test-only: WORKER_DEMO_ATTEMPT_LOG=FILE appends a
        JSON line per handler attempt start and finish to FILE (scripts/torture; off by default);
        WORKER_DEMO_CLOCK_OFFSET_MS=N runs as if this machine's clock were N ms off (a PostgreSQL
        store corrects it: every process keeps the server's time).

        Ctrl-C or SIGTERM shuts down gracefully and exits 0.
        """

    /// A command-line mistake: the message goes to stderr with the usage, exit status 2.
    struct UsageError: Error {
        var message: String
    }

    /// Parses the arguments after the program name.
    /// - Throws: ``UsageError`` for an unknown command or flag or a bad value.
    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Options {
        var options = Options(
            store: environment["WORKER_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultStore,
            workerURL: environment["WORKER_SERVICE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:4001")
        var rest = arguments[...]
        if let first = rest.first, !first.hasPrefix("-") {
            guard let command = Command(rawValue: first) else {
                throw UsageError(message: "unknown command '\(first)'")
            }
            options.command = command
            rest = rest.dropFirst()
        }
        while let argument = rest.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = rest.popFirst() else { throw UsageError(message: "\(name) needs a value") }
                return next
            }
            switch name {
            case "-h", "--help": options.showHelp = true
            case "--host": options.host = try value()
            case "--port": options.port = try port(value(), flag: name)
            case "--worker-port": options.workerPort = try port(value(), flag: name)
            case "--gateway-port": options.gatewayPort = try port(value(), flag: name)
            case "--store": options.store = try value()
            case "--worker-url": options.workerURL = try value()
            case "--api-tokens": options.apiTokens = try value()
            case "--cors-origin": options.corsOrigins.append(try value())
            case "--concurrency":
                let text = try value()
                guard let number = Int(text), (1...1024).contains(number) else {
                    throw UsageError(message: "--concurrency: '\(text)' is not a number in 1-1024")
                }
                options.concurrency = number
            case "--queues": options.queues = try queueList(value(), flag: name)
            case "--priority-aging": options.priorityAgingSeconds = try agingSeconds(value(), flag: name)
            default:
                throw UsageError(message: argument.hasPrefix("-") ? "unknown option '\(argument)'" : "unexpected argument '\(argument)'")
            }
        }
        if let text = environment["WORKER_LEASE_SECONDS"], !text.isEmpty {
            guard let seconds = Int(text), (1...86_400).contains(seconds) else {
                throw UsageError(message: "WORKER_LEASE_SECONDS: '\(text)' is not a number of seconds in 1-86400")
            }
            options.leaseSeconds = seconds
        }
        if let path = environment[AttemptLog.variable], !path.isEmpty {
            options.attemptLogPath = path
        }
        if let text = environment[OffsetClock.variable], !text.isEmpty {
            guard let millis = Int(text), (-3_600_000...3_600_000).contains(millis) else {
                throw UsageError(message: "\(OffsetClock.variable): '\(text)' is not a number of milliseconds in -3600000-3600000")
            }
            options.clockOffsetMilliseconds = millis
        }
        if options.apiTokens == nil, let text = environment["WORKER_API_TOKENS"], !text.isEmpty {
            options.apiTokens = text
        }
        if options.corsOrigins.isEmpty, let text = environment["WORKER_CORS_ORIGINS"], !text.isEmpty {
            options.corsOrigins = text.split(separator: ",").map { String($0) }
        }
        if options.queues == nil, let text = environment["WORKER_QUEUES"], !text.isEmpty {
            options.queues = try queueList(text, flag: "WORKER_QUEUES")
        }
        if options.priorityAgingSeconds == nil, let text = environment["WORKER_PRIORITY_AGING"], !text.isEmpty {
            options.priorityAgingSeconds = try agingSeconds(text, flag: "WORKER_PRIORITY_AGING")
        }
        if options.command == .serve, options.port != nil {
            throw UsageError(message: "--port applies to `worker` and `gateway`; `serve` takes --worker-port and --gateway-port")
        }
        if options.port == nil, options.command != .serve, let text = environment["PORT"], !text.isEmpty {
            options.port = try port(text, flag: "PORT")
        }
        return options
    }

    private static func port(_ text: String, flag: String) throws(UsageError) -> Int {
        guard let number = Int(text), (0...65535).contains(number) else {
            throw UsageError(message: "\(flag): '\(text)' is not a port number in 0-65535")
        }
        return number
    }
}
