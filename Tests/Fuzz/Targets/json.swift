// libFuzzer target: the strict JSON reader of request bodies (compiled with TaskCore's sources by
// scripts/fuzz.sh). Whatever parses must have bounded depth; errors must be `invalidArgument` on "body".
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let value = try JSONReader(maxDepth: 32).parse(bytes)
        precondition(depth(value) <= 33)
    } catch {
        precondition(error.code == .invalidArgument && error.field == "body")
    }
    return 0
}

private func depth(_ value: JSONValue) -> Int {
    switch value {
    case .array(let elements): 1 + (elements.map(depth).max() ?? 0)
    case .object(let members): 1 + (members.values.map(depth).max() ?? 0)
    default: 0
    }
}
