import GraphQLLite

/// Writes a ``GraphQLResponse`` as the spec's JSON: `{"errors": [...], "data": ...}` (errors first,
/// as graphql-js and Apollo print them; `data` is absent when execution did not start).
enum GatewayResponseJSON {
    static func bytes(_ response: GraphQLResponse) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(UInt8(ascii: "{"))
        var first = true
        if !response.errors.isEmpty {
            out.append(contentsOf: "\"errors\":[".utf8)
            for (index, error) in response.errors.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(error, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            first = false
        }
        if let data = response.data {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "\"data\":".utf8)
            write(data, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func write(_ error: GraphQLError, into out: inout [UInt8]) {
        out.append(contentsOf: "{\"message\":".utf8)
        GatewayJSON.writeString(error.message, into: &out)
        if !error.locations.isEmpty {
            out.append(contentsOf: ",\"locations\":[".utf8)
            for (index, location) in error.locations.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "{\"line\":\(location.line),\"column\":\(location.column)}".utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        if !error.path.isEmpty {
            out.append(contentsOf: ",\"path\":[".utf8)
            for (index, component) in error.path.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                switch component {
                case .key(let key): GatewayJSON.writeString(key, into: &out)
                case .index(let position): out.append(contentsOf: String(position).utf8)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
        if !error.extensions.isEmpty {
            out.append(contentsOf: ",\"extensions\":".utf8)
            write(.object(error.extensions), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func write(_ value: GraphQLValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .float(let number): GatewayJSON.writeDouble(number, into: &out)
        case .string(let text): GatewayJSON.writeString(text, into: &out)
        case .list(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var index = 0
            for (key, member) in object {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                GatewayJSON.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out)
                index += 1
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
