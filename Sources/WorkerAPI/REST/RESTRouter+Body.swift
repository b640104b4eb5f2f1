import Foundation
import TaskCore

extension TaskCoreError.Code {
    /// A body sent with a `Content-Type` other than JSON (REST answers 415).
    static let unsupportedMediaType = TaskCoreError.Code(rawValue: "unsupported_media_type")
}

extension RESTRouter {
    /// The JSON object body of `request`, checked against the allowed fields.
    ///
    /// A missing `Content-Type` is accepted; one that is present must be `application/json`,
    /// `application/*+json` or `text/json` (parameters such as `charset` allowed), else 415. That keeps
    /// a web page from creating tasks with a form post or a `text/plain` fetch.
    /// - Parameter optional: whether an empty body counts as `{}`.
    func bodyFields(_ request: RESTRequest, allowed: [String], optional: Bool) throws(TaskCoreError) -> RESTBodyFields {
        if !request.body.isEmpty, let contentType = request.header("Content-Type"), !Self.isJSON(contentType) {
            throw TaskCoreError(
                code: .unsupportedMediaType,
                message: "Content-Type '\(contentType)' is not supported: send the body as application/json")
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
