import Foundation

/// The media type of a GraphQL response, chosen from the request's `Accept` header as the
/// GraphQL-over-HTTP specification asks.
///
/// - No `Accept`, `*/*` or `application/*`: `application/json` (what older clients expect).
/// - `application/graphql-response+json` named with a quality at least that of `application/json`:
///   that type (the specification's MUST since 2025).
/// - Neither type acceptable: `nil`, which the gateway answers with 406.
enum GatewayResponseMediaType: String, Sendable {
    case graphQLResponseJSON = "application/graphql-response+json"
    case json = "application/json"

    /// The `Content-Type` header value.
    var contentType: String { rawValue + "; charset=utf-8" }

    /// Picks the response type for an `Accept` header value; `nil` when none can be served.
    static func negotiate(accept: String?) -> GatewayResponseMediaType? {
        guard let accept, !accept.allSatisfy({ $0 == " " || $0 == "\t" }) else { return .json }
        var graphQLBest: (quality: Double, specificity: Int) = (0, -1)
        var jsonBest: (quality: Double, specificity: Int) = (0, -1)
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)).map { min(max($0, 0), 1) } ?? 0
            }
            // The most specific range that matches a type decides its quality (RFC 9110 12.5.1).
            func consider(_ candidate: String, _ best: inout (quality: Double, specificity: Int)) {
                let specificity: Int
                switch type {
                case candidate: specificity = 2
                case "application/*": specificity = 1
                case "*/*": specificity = 0
                default: return
                }
                if specificity > best.specificity { best = (quality, specificity) }
            }
            consider(GatewayResponseMediaType.graphQLResponseJSON.rawValue, &graphQLBest)
            consider(GatewayResponseMediaType.json.rawValue, &jsonBest)
        }
        if graphQLBest.quality > 0, graphQLBest.specificity == 2, graphQLBest.quality >= jsonBest.quality { return .graphQLResponseJSON }
        if jsonBest.quality > 0 { return .json }
        if graphQLBest.quality > 0 { return .graphQLResponseJSON }
        return nil
    }
}
