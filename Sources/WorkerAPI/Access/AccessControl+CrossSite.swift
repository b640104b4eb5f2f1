import Foundation

extension AccessControl {
    /// The cross-site request rule (issue 12, C3a and C3c; `Docs/SECURITY.md`, "Cross-site requests").
    ///
    /// A browser lets any page send a "simple" cross-site request without asking the server first:
    /// a `POST` with a `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`
    /// body, or none. Such a request must never change anything, so:
    /// - REST: a changing request (POST, PATCH, DELETE) from a foreign page needs a JSON
    ///   `Content-Type` (`application/json`, `application/*+json`, `text/json`), with or without
    ///   a body: otherwise 415. A JSON type cannot be sent cross-site without a CORS preflight, which
    ///   only the `--cors-origin` origins pass. A page is foreign when its `Origin` is neither the
    ///   request's own origin (the `Host` it was sent to) nor a `--cors-origin`, or, without
    ///   `Origin`, when `Sec-Fetch-Site` says `cross-site` or `same-site`.
    /// - GraphQL: every `POST` from a browser page (any `Origin`, or a `Sec-Fetch-Site` other than
    ///   `none`) needs a JSON `Content-Type`; `application/graphql` bodies stay available to
    ///   non-browser clients.
    /// Requests without `Origin` (curl, SDKs) are unaffected.
    /// - Returns: the 415 answer, or `nil` when the request may go on.
    func crossSiteRefusal(_ request: AccessRequest) -> AccessAnswer? {
        guard AccessPolicy.isChanging(method: request.method) else { return nil }
        let contentType = request.header("Content-Type")
        if let contentType, RESTRouter.isJSON(contentType) { return nil }
        let origin = request.header("Origin")
        let fetchSite = request.header("Sec-Fetch-Site")?.lowercased()
        switch request.surface {
        case .graphQL:
            guard origin != nil || (fetchSite != nil && fetchSite != "none") else { return nil }
        case .rest:
            guard isForeign(origin: origin, fetchSite: fetchSite, host: request.header("Host")) else { return nil }
        }
        let what = "\(request.method) \(Self.shown(request.path))"
        if let contentType {
            let shownType = contentType.utf8.count <= 100 ? contentType : String(contentType.prefix(100)) + "…"
            return .unsupportedMediaType(
                "Content-Type '\(shownType)' is not supported on a cross-site \(what): send the request as application/json")
        }
        return .unsupportedMediaType(
            "A cross-site \(what) needs the header Content-Type: application/json (it has no Content-Type)")
    }

    /// Whether a request comes from a page of another site than the one it was sent to.
    func isForeign(origin: String?, fetchSite: String?, host: String?) -> Bool {
        guard let origin else { return fetchSite == "cross-site" || fetchSite == "same-site" }
        if allowsCORS(origin: origin) { return false }
        guard let host, let authority = Self.authority(ofOrigin: origin) else { return true }
        return authority != Self.normalizedAuthority(host, defaultPort: Self.defaultPort(ofOrigin: origin))
    }

    /// `host:port` of an origin such as `http://127.0.0.1:4001` (port made explicit), lower case;
    /// `nil` for `null` or anything that is not `http(s)://authority`.
    static func authority(ofOrigin origin: String) -> String? {
        let text = origin.lowercased()
        let rest: Substring
        if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else {
            return nil
        }
        guard !rest.isEmpty, !rest.contains("/") else { return nil }
        return normalizedAuthority(String(rest), defaultPort: defaultPort(ofOrigin: text))
    }

    /// 443 for an `https` origin, else 80.
    static func defaultPort(ofOrigin origin: String) -> String {
        origin.lowercased().hasPrefix("https://") ? "443" : "80"
    }

    /// `host:port` in lower case, with the default port added when there is none.
    static func normalizedAuthority(_ authority: String, defaultPort: String) -> String {
        let text = authority.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("[") {
            // An IPv6 literal: `[::1]` or `[::1]:4001`.
            if let close = text.lastIndex(of: "]") {
                let after = text[text.index(after: close)...]
                return after.isEmpty ? text + ":" + defaultPort : text
            }
            return text
        }
        return text.contains(":") ? text : text + ":" + defaultPort
    }
}
