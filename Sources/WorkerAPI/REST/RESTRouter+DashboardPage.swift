import TaskCore

extension RESTRouter {
    /// `GET /dashboard`: the operator dashboard (API.md section 9), one self-contained page from
    /// `Web/dashboard/`. Revalidated on every load (`Cache-Control: no-cache` with an `ETag`; an
    /// `If-None-Match` that names the current page answers 304 without a body).
    func dashboardPage(_ request: RESTRequest) -> RESTResponse {
        let page = WebPage.dashboard
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache"), ("ETag", page.etag),
        ]
        headers += WebPage.securityHeaders
        if page.matches(ifNoneMatch: request.header("If-None-Match")) {
            return RESTResponse(status: 304, headers: headers)
        }
        return RESTResponse(status: 200, headers: headers, body: page.bytes)
    }

    /// `GET /openapi.json`: the OpenAPI 3.1 document of this API, embedded from
    /// `Web/openapi/openapi.json` (revalidated by `ETag` like the dashboard).
    func openAPIDocument(_ request: RESTRequest) -> RESTResponse {
        let document = WebPage.openapi
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Cache-Control", "no-cache"), ("ETag", document.etag),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if document.matches(ifNoneMatch: request.header("If-None-Match")) {
            return RESTResponse(status: 304, headers: headers)
        }
        return RESTResponse(status: 200, headers: headers, body: document.bytes)
    }
}
