import Foundation

/// Decodes an `application/x-www-form-urlencoded` query string (`a=1&b=x+y&c=%7B%7D`).
///
/// Later duplicates of a name win. `+` means a space; `%XX` escapes are decoded as UTF-8.
enum GatewayQueryString {
    /// The decoded parameters of `query` (the part after `?`, without it).
    /// - Throws: ``GatewayRequestError`` naming the parameter when an escape is malformed or not UTF-8.
    static func parameters(_ query: String?) throws(GatewayRequestError) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = String(parts[0])
            let rawValue = parts.count > 1 ? String(parts[1]) : ""
            guard let name = decode(rawName) else {
                throw GatewayRequestError(message: "Query string: malformed percent-encoding in parameter name '\(rawName.prefix(100))'")
            }
            guard let value = decode(rawValue) else {
                throw GatewayRequestError(message: "Query string: malformed percent-encoding in the value of '\(name.prefix(100))'")
            }
            result[name] = value
        }
        return result
    }

    /// Replaces `+` by a space and decodes percent escapes; `nil` for a bad escape or invalid UTF-8.
    private static func decode(_ text: String) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
