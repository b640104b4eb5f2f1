import Foundation
import HTTPServer
import Scheduling
import TaskCore
import WorkerAPI

/// What the `serve`, `worker` and `gateway` commands do: build, start, wait for a signal, stop.
enum DemoApp {
    /// Runs the command of `options` until SIGINT/SIGTERM; returns the exit status.
    static func run(_ options: Options) async throws -> Int32 {
        var servers: [HTTPServer] = []
        let access = try AccessSettings.make(options)
        var service: WorkerService?
        var alignment: Task<Void, Never>?
        switch options.command {
        case .worker, .serve:
            let made = try await StoreFactory.make(options.store)
            var configuration = WorkerConfiguration(concurrency: options.concurrency, shutdownGracePeriod: .seconds(5))
            if let lease = options.leaseSeconds { configuration.leaseDuration = .seconds(lease) }
            configuration.queues = options.queues
            configuration.priorityAging = options.priorityAgingSeconds.map { .seconds($0) }
            let (clock, aligner) = await makeClock(options, store: made.store)
            alignment = aligner
            let worker = WorkerService(store: made.store, configuration: configuration, clock: clock, events: eventLog)
            let metrics = MetricsRegistry()
            let attemptLog = try options.attemptLogPath.map { path throws(Options.UsageError) in try AttemptLog(path: path) }
            if let path = options.attemptLogPath { log("test-only attempt log: \(path) (\(AttemptLog.variable))") }
            DemoHandlers.register(on: worker, metrics: metrics, attemptLog: attemptLog)
            var routerOptions = RESTRouter.Options(storeKind: made.kind)
            routerOptions.accessControl = access
            let router = RESTRouter(backend: worker, options: routerOptions, metrics: metrics)
            let workerPort = options.command == .worker ? options.port ?? 4001 : options.workerPort
            servers.append(try start(RESTServerAdapter(router: router), options.host, workerPort, "worker-service REST API", "/api"))
            log("store: \(made.location); worker id: \(configuration.workerID); handlers: \(worker.handledTypes.sorted().joined(separator: ", ")); concurrency \(options.concurrency)")
            if options.command == .serve {
                let gateway = GatewayHTTPHandler(backend: worker, accessControl: access)
                servers.append(try start(GatewayServerAdapter(gateway: gateway), options.host, options.gatewayPort, "api-gateway GraphQL", "/graphql"))
            }
            service = worker
        case .gateway:
            let backend = try RemoteWorkerBackend(baseURL: options.workerURL)
            let gateway = GatewayHTTPHandler(backend: backend, accessControl: access)
            servers.append(try start(GatewayServerAdapter(gateway: gateway), options.host, options.port ?? 4000, "api-gateway GraphQL", "/graphql"))
            log("gateway reaches the worker service at \(backend.baseURL)")
        }
        AccessSettings.announce(access, options: options)
        let running = Task { [service] in
            do { try await service?.run() } catch { log("worker pool stopped: \(error)") }
        }
        let signal = await TerminationSignal.wait()
        log("received signal \(signal), shutting down (a second signal exits at once)")
        let forceExit = Task.detached {
            _ = await TerminationSignal.wait()
            log("second signal: exiting without waiting")
            exit(130)
        }
        service?.changes.close()  // live event streams end first, so their connections close cleanly
        for server in servers { await server.shutdown() }
        service?.shutdown()
        await running.value
        alignment?.cancel()
        forceExit.cancel()
        log("stopped")
        return 0
    }

    /// The service's clock: the machine's (offset by the test-only variable), aligned with the
    /// store's clock when the store has one (PostgreSQL, shared by machines), re-aligned every 30 s.
    static func makeClock(_ options: Options, store: any TaskStore) async -> (any ServiceClock, Task<Void, Never>?) {
        let machine: any ServiceClock = options.clockOffsetMilliseconds.map { OffsetClock(offset: .milliseconds($0)) } ?? SystemClock()
        if let offset = options.clockOffsetMilliseconds { log("test-only clock offset: \(offset) ms (\(OffsetClock.variable))") }
        guard let storeClock = store as? any TaskStoreClock else { return (machine, nil) }
        let aligned = StoreAlignedClock(base: machine)
        var measured: Duration?
        for _ in 0..<5 where measured == nil { measured = (try? await aligned.align(with: storeClock)) ?? nil }
        if let measured {
            log("clock aligned with the store's: this machine's clock is \((.zero - measured).milliseconds) ms off")
        } else {
            log("could not measure the store's clock (slow or failing round trips); using this machine's until the next try")
        }
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                _ = try? await aligned.align(with: storeClock)
            }
        }
        return (aligned, task)
    }

    static func start(_ responder: any HTTPResponder, _ host: String, _ port: Int, _ what: String, _ path: String) throws -> HTTPServer {
        let server = HTTPServer(configuration: .demo(host: host, port: port), responder: responder)
        let bound = try server.start()
        log("\(what) listening on http://\(host):\(bound)\(path)")
        return server
    }

    /// Service events worth an operator's attention go to stderr (debug-level ones are dropped).
    static let eventLog = WorkerEventSink { event in
        if event.level != .debug { log("[\(event.level)] \(event)") }
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("worker-demo: \(message)\n".utf8))
    }
}
