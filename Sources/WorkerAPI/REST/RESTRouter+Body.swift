import Foundation
import TaskCore

extension TaskCoreError.Code {
    /// A body sent with a `Content-Type` other than JSON (REST answers 415).
    static let unsupportedMediaType = TaskCoreError.Code(rawValue: "unsupported_media_type")
}

extension RESTRouter {
    /// The JSON object body of `request`, checked against the allowed fields.
    ///
    /// The body is read as JSON whatever its `Content-Type` (so `curl -d` without `-H` works), except
    /// that a request from a browser page (it carries an `Origin` header) must declare JSON
    /// (`application/json`, `application/*+json` or `text/json`), else 415: a page on another site can
    /// send a form post or a `text/plain` fetch without asking, and must not create tasks that way.
    /// - Parameter optional: whether an empty body counts as `{}`.
    func bodyFields(_ request: RESTRequest, allowed: [String], optional: Bool) throws(TaskCoreError) -> RESTBodyFields {
        if !request.body.isEmpty, request.header("Origin") != nil,
            let contentType = request.header("Content-Type"), !Self.isJSON(contentType)
        {
            throw TaskCoreError(
                code: .unsupportedMediaType,
                message: "Content-Type '\(TaskCoreError.excerpt(contentType))' is not supported: send the body as application/json")
        }
        return try RESTBodyFields(body: request.body, allowed: allowed, emptyMeansEmptyObject: optional)
    }

    static func isJSON(_ contentType: String) -> Bool {
        if contentType == "application/json" || contentType == "application/json; charset=utf-8" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        return mediaType == "application/json" || mediaType == "text/json"
            || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
