import Foundation
import Synchronization

/// A throw-away PostgreSQL server for the tests: `initdb` and `postgres` from the machine's
/// PostgreSQL binaries, in a temporary folder, on a free loopback port, run as the unprivileged
/// `postgres` user when the tests run as root. Started once per test process, stopped at exit.
///
/// Each store the tests make gets a schema of its own (through `search_path`), so tests never see
/// each other's rows and need no database created per test.
enum PostgresTestServer {
    /// Where the server binaries are, or `nil` when the machine has none.
    static let binaries: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["PG_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path) {
                return bin
            }
        }
        return nil
    }()

    /// Whether PostgreSQL tests should run: binaries found, or CI demands them (and then fail loudly).
    static var isAvailable: Bool {
        binaries != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The base connection URL of the running server (starting it on first use).
    static func baseURL() throws -> String {
        try started.get()
    }

    /// A connection URL whose `search_path` is a fresh, empty schema.
    static func freshSchemaURL() throws -> String {
        let base = try baseURL()
        let schema = "t\(counter.add(1, ordering: .relaxed).newValue)_\(getpid())"
        try psql(base, "CREATE SCHEMA \(schema)")
        return base + "&options=-csearch_path%3D\(schema)"
    }

    private static let counter = Atomic<Int>(0)

    private static let started: Result<String, any Error> = Result { try start() }

    private static func start() throws -> String {
        guard let bin = binaries else {
            throw TestServerError("no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin; set PG_BIN)")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("worker-service-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot {
            try run("/bin/chown", ["-R", "postgres:postgres", directory.path])
        }
        let port = try freePort()
        try run(bin.appendingPathComponent("initdb").path,
                ["-D", data.path, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"], asPostgres: asRoot)
        let log = directory.appendingPathComponent("server.log").path
        try run(bin.appendingPathComponent("pg_ctl").path, [
            "-D", data.path, "-l", log, "-w", "-t", "60", "start",
            "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000",
        ], asPostgres: asRoot)
        atexit_b {
            _ = try? run(bin.appendingPathComponent("pg_ctl").path, ["-D", data.path, "-m", "immediate", "stop"],
                         asPostgres: asRoot)
            try? FileManager.default.removeItem(at: directory)
        }
        return "postgresql://postgres@127.0.0.1:\(port)/postgres?sslmode=disable"
    }

    /// Runs one SQL statement with psql.
    static func psql(_ url: String, _ sql: String) throws {
        guard let bin = binaries else { throw TestServerError("no PostgreSQL binaries") }
        try run(bin.appendingPathComponent("psql").path, ["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
    }

    /// Runs a command to completion with `posix_spawn` and `waitpid` (Foundation's `Process`
    /// can hang waiting for a child whose grandchild, the server, keeps running).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws -> String {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments
                              : [executable] + arguments
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("pg-cmd-\(getpid())-\(counter.add(1, ordering: .relaxed).newValue).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TestServerError("cannot start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw TestServerError("\(argv.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    /// A port that was free a moment ago (bind to 0, read it back, close).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestServerError("cannot bind a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `atexit` with a closure that may capture.
private func atexit_b(_ body: @escaping @Sendable () -> Void) {
    exitHandlers.withLock { $0.append(body) }
    if exitHandlers.withLock({ $0.count }) == 1 {
        atexit { for handler in exitHandlers.withLock({ $0 }) { handler() } }
    }
}

private let exitHandlers = Mutex<[@Sendable () -> Void]>([])
