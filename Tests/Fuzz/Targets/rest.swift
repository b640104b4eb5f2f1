// libFuzzer target: REST path matching, path-segment and query-string decoding, id parsing (compiled with
// TaskCore's sources and the router's RESTQuery/RESTRoute by scripts/fuzz.sh). Input: PATH, a newline, QUERY.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzREST(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(parts.first ?? "")
    let query = parts.count > 1 ? String(parts[1]) : ""
    if let (route, id) = RESTPath.match(path) {
        precondition(RESTRoute.allowedMethods(for: route).count > 0)
        if let id {
            let decoded = RESTQuery.decodePathSegment(id)
            if let task = TaskID(decoded) { precondition(task.description == decoded) }
            _ = TaskCoreError.excerpt(decoded)
        }
    }
    let parameters = RESTQuery(query)
    for name in ["limit", "offset", "status", "type"] {
        _ = try? parameters.integer(name, default: 50, in: 1...1000)
        _ = try? parameters.integer(name, default: 0, in: 0...Int.max)
        _ = parameters.all(name)
    }
    return 0
}
