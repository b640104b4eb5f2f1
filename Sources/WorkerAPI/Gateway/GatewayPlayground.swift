/// The self-contained GraphQL playground page the gateway serves on `GET /graphql` to browsers.
///
/// Its source is real files, `Web/playground/` (`index.html`, `playground.css`, `playground.js`),
/// inlined into one page and embedded at build time by the EmbedWebAssets plugin (see
/// `Docs/DASHBOARD.md`). Everything is inline (no external scripts, fonts, styles or URLs), because
/// the browser may have no internet. The page:
/// - loads the schema by an introspection query and lists its types and fields;
/// - edits the document with syntax highlighting, completion of fields, arguments, enum values and
///   input fields from the schema, and inline validation errors;
/// - has panes for the variables (JSON), the request headers (for an access token) and the
///   operation name, and a history of the documents run (kept in `localStorage`);
/// - runs the document with a same-origin `POST` to the page's own path and shows the JSON answer;
///   a subscription is sent with `Accept: text/event-stream` (graphql-sse) and shown as a stream;
/// - reads `?query=`, `?variables=` and `?operationName=` from its URL, and runs at once when the
///   URL has `autorun=1` or the fragment `#run` (for headless checks and shareable links). Such a
///   run goes out as a `GET`, which the gateway refuses for mutations (405), so a link can never
///   make the page change anything by itself: a mutation runs only from the Run button.
/// - with access control on, asks for a token when the gateway answers 401 and keeps it in
///   `sessionStorage` (key `worker-service-token`) for the browser session, sending it as
///   `Authorization: Bearer`.
///
/// When a run finishes, `<pre id="result">` holds the pretty-printed answer and its
/// `data-state` attribute becomes `done` (or `error` when the request itself failed).
enum GatewayPlayground {
    /// The page, as UTF-8 bytes.
    static var html: [UInt8] { WebPage.playground.bytes }

    /// The response headers of the page: HTML, revalidated, and the anti-framing and same-origin
    /// security headers every embedded page has.
    static let headers: [(String, String)] =
        [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache"), ("ETag", WebPage.playground.etag)]
        + WebPage.securityHeaders.map { ($0.name, $0.value) }
}
