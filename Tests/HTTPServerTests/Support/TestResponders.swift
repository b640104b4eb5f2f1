@testable import HTTPServer
import Synchronization

/// Echoes the request: `X-Method`, `X-Path`, `X-Query` headers and the body back; `/status/N` answers N.
struct EchoResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse { echo(request) }
}

/// The same, answered synchronously on the event loop.
struct ImmediateEchoResponder: HTTPImmediateResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse { echo(request) }
    func respondImmediately(to request: HTTPRequest) -> HTTPResponse? { echo(request) }
}

func echo(_ request: HTTPRequest) -> HTTPResponse {
    if request.path.hasPrefix("/status/"), let status = Int(request.path.dropFirst(8)) {
        return HTTPResponse(status: status, body: Array("status".utf8))
    }
    return HTTPResponse(
        status: 200,
        headers: ["X-Method": request.method.rawValue, "X-Path": request.path, "X-Query": request.query, "X-Remote": request.remoteAddress ?? ""],
        body: request.body.isEmpty ? Array("{\"ok\":true}".utf8) : request.body
    )
}

/// Holds requests for paths starting with `/gate` until `release()` is called (others are echoed);
/// `started()` waits for the first held request to arrive.
final class GatedResponder: HTTPResponder {
    private struct State {
        var arrived = 0
        var released = false
        var arrivalWaiters: [CheckedContinuation<Void, Never>] = []
        var releaseWaiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.path.hasPrefix("/gate") else { return echo(request) }
        let arrivals = state.withLock { state in
            state.arrived += 1
            defer { state.arrivalWaiters = [] }
            return state.arrivalWaiters
        }
        arrivals.forEach { $0.resume() }
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.released { return true }
                state.releaseWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        return .text("released \(request.path)")
    }

    func started() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.arrived > 0 { return true }
                state.arrivalWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.releaseWaiters = [] }
            return state.releaseWaiters
        }
        waiters.forEach { $0.resume() }
    }
}
