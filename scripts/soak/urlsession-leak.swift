// A standalone reproduction (not part of the package) of the gateway's memory growth found by the
// soak test (Docs/RELIABILITY.md "Soak test"): swift-corelibs-foundation's URLSession keeps about
// 180-190 bytes of heap per completed request on Linux (measured with Swift 6.3.1), whatever the
// request, with the configuration RemoteWorkerBackend uses (ephemeral, 5 s timeouts, 32 connections
// per host). The gateway makes one such request to the worker per GraphQL field that needs it.
//
//   swiftc -O scripts/soak/urlsession-leak.swift -o /tmp/urlsession-leak
//   .build/release/worker-demo worker --store memory --port 4977 &
//   /tmp/urlsession-leak http://127.0.0.1:4977/health 20000 async
//
// Variants (third argument): async    `try await session.data(for:)`, as RemoteWorkerBackend does
//                            task     `dataTask(with:completionHandler:)`
//                            nocache  async, with `urlCache = nil`
//                            rotate   async, a new session every 1,000 requests (the old one
//                                     finishTasksAndInvalidate()d)
//                            build    builds the URLRequest and sends nothing (the control)
// Prints RssAnon (heap and stacks, from /proc/self/status) before and after N requests that follow
// 4,000 warm-up requests, and the growth per request. Measured here (2 shared cores, 20,000
// requests): async +171 to +191 B, task +194 B, nocache +186 B, rotate +183 B, build +1 B; 40,000
// requests async +186 B (linear).
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

func anonymousKB() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n") where line.hasPrefix("RssAnon:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }
    return -1
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let url = URL(string: arguments[1]) else {
    print("usage: urlsession-leak URL [N] [async|task|nocache|rotate|build]")
    exit(2)
}
let count = arguments.count > 2 ? Int(arguments[2]) ?? 20000 : 20000
let variant = arguments.count > 3 ? arguments[3] : "async"

let configuration = URLSessionConfiguration.ephemeral
configuration.timeoutIntervalForRequest = 5
configuration.timeoutIntervalForResource = 5
configuration.httpMaximumConnectionsPerHost = 32
if variant == "nocache" { configuration.urlCache = nil }

final class Sessions: @unchecked Sendable {
    private let lock = NSLock()
    private var session = URLSession(configuration: configuration)
    private var used = 0

    func next() -> URLSession {
        lock.lock()
        defer { lock.unlock() }
        used += 1
        if variant == "rotate" && used % 1000 == 0 {
            session.finishTasksAndInvalidate()
            session = URLSession(configuration: configuration)
        }
        return session
    }
}
let sessions = Sessions()

func once() async {
    var request = URLRequest(url: url)
    request.httpMethod = "GET"
    request.timeoutInterval = 5
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    switch variant {
    case "build":
        _ = request.allHTTPHeaderFields
    case "task":
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            sessions.next().dataTask(with: request) { _, _, _ in continuation.resume() }.resume()
        }
    default:
        _ = try? await sessions.next().data(for: request)
    }
}

/// `n` requests from four concurrent loops (the gateway serves several callers at once).
func requests(_ n: Int) async {
    await withTaskGroup(of: Void.self) { group in
        for lane in 0..<4 {
            group.addTask {
                for _ in stride(from: lane, to: n, by: 4) { await once() }
            }
        }
    }
}

await requests(4000)
let before = anonymousKB()
let started = Date()
await requests(count)
let after = anonymousKB()
print(
    "\(variant): \(count) requests in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: "
        + "RssAnon \(before) -> \(after) kB, \(String(format: "%+.0f", Double(after - before) * 1024 / Double(count))) B/request")
