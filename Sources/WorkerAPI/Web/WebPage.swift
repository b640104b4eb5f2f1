import Foundation

/// A self-contained web page embedded into the binary at build time (the files under `Web/`,
/// inlined and encoded by the EmbedWebAssets build-tool plugin): the dashboard and the playground.
struct WebPage: Sendable {
    /// The page's bytes (UTF-8 HTML with its CSS and JavaScript inline).
    let bytes: [UInt8]
    /// A strong validator of the bytes, quoted, for `ETag` and `If-None-Match`.
    let etag: String

    /// Decodes a page from the generated base64 text.
    init(base64: String, etag: String) {
        self.bytes = Data(base64Encoded: base64).map { Array($0) } ?? []
        self.etag = etag
    }

    /// The security headers every embedded page is served with: the page may talk only to its own
    /// origin (`connect-src 'self'`), loads nothing from elsewhere, and may not be framed.
    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy",
         "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// Whether an `If-None-Match` value names this page's current bytes.
    func matches(ifNoneMatch value: String?) -> Bool {
        guard let value else { return false }
        return value == "*" || value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
    }
}
