extension PGParameter {
    /// A text array literal with NULLs (`{"a",NULL}`), quoted safely.
    static func optionalStringArray(_ values: [String?]) -> PGParameter {
        let items = values.map { value -> String in
            guard let value else { return "NULL" }
            var escaped = "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { escaped.unicodeScalars.append("\\") }
                escaped.unicodeScalars.append(character)
            }
            return escaped + "\""
        }
        return PGParameter(text: "{" + items.joined(separator: ",") + "}")
    }
}
