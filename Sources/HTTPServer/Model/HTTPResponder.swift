/// Turns a request into a response; the application side of ``HTTPServer``.
///
/// Build one responder (a router, say) before starting the server and keep it immutable: the server calls it
/// concurrently from several event loops. A responder never throws; map errors to a status yourself.
public protocol HTTPResponder: Sendable {
    /// Produces the response for one request.
    /// - Parameter request: The fully received request (body included).
    /// - Returns: The response to send.
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

/// A responder that can often answer without suspending, letting the server skip the hop to a Swift task.
///
/// The server first calls ``respondImmediately(to:)`` on its event-loop thread. If that returns a response it is
/// written at once; if it returns `nil` the server falls back to ``HTTPResponder/respond(to:)`` in a task.
/// Implementations must be quick and must never block (no locks held for long, no I/O).
public protocol HTTPImmediateResponder: HTTPResponder {
    /// Answers synchronously, or returns `nil` to have the request handled by `respond(to:)` instead.
    /// - Parameter request: The fully received request.
    /// - Returns: The response, or `nil` to defer to the asynchronous path.
    func respondImmediately(to request: HTTPRequest) -> HTTPResponse?
}
