/// A builder for the Prometheus text exposition format (version 0.0.4).
struct PrometheusText {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(4096)
    }

    /// Writes `# HELP` and `# TYPE` lines.
    mutating func header(_ name: String, _ help: String, type: String) {
        append("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n")
    }

    /// Writes a gauge with its header and one unlabelled sample.
    mutating func gauge(_ name: String, _ help: String, _ value: Double) {
        header(name, help, type: "gauge")
        sample(name, [], value)
    }

    /// Writes one sample line `name{label="value"} 1`.
    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        var line = name
        if !labels.isEmpty {
            line += "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        line += " " + Self.format(value) + "\n"
        append(line)
    }

    /// Writes the `_bucket`, `_sum` and `_count` lines of a histogram.
    mutating func histogram(_ name: String, _ labels: [(String, String)], _ histogram: MetricsRegistry.Histogram) {
        var cumulative = 0
        for (bound, count) in zip(histogram.bounds, histogram.counts) {
            cumulative += count
            sample(name + "_bucket", labels + [("le", Self.format(bound))], Double(cumulative))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], Double(histogram.count))
        sample(name + "_sum", labels, histogram.sum)
        sample(name + "_count", labels, Double(histogram.count))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Escapes a label value: backslash, double quote and newline.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Integers without a fraction, other values in Swift's shortest form.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
