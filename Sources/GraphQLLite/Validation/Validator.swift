/// A validation rule of spec §5: checks the facts a ``ValidationContext`` recorded.
package protocol ValidationRule {
    static func check(_ context: ValidationContext)
}

/// Runs every rule, in graphql-js's order.
package enum Validator {
    static func validate(_ document: GraphQLDocument, schema: GraphQLSchema) -> [GraphQLError] {
        let context = ValidationContext(schema: schema, document: document)
        // Called directly (static dispatch, no array of rule types built per document).
        UniqueOperationNamesRule.check(context)
        LoneAnonymousOperationRule.check(context)
        SingleFieldSubscriptionsRule.check(context)
        KnownTypeNamesRule.check(context)
        FragmentsOnCompositeTypesRule.check(context)
        VariablesAreInputTypesRule.check(context)
        ScalarLeafsRule.check(context)
        FieldsOnCorrectTypeRule.check(context)
        UniqueFragmentNamesRule.check(context)
        KnownFragmentNamesRule.check(context)
        NoUnusedFragmentsRule.check(context)
        PossibleFragmentSpreadsRule.check(context)
        NoFragmentCyclesRule.check(context)
        UniqueVariableNamesRule.check(context)
        NoUndefinedVariablesRule.check(context)
        NoUnusedVariablesRule.check(context)
        KnownDirectivesRule.check(context)
        UniqueDirectivesPerLocationRule.check(context)
        KnownArgumentNamesRule.check(context)
        UniqueArgumentNamesRule.check(context)
        ValuesOfCorrectTypeRule.check(context)
        ProvidedRequiredArgumentsRule.check(context)
        VariablesInAllowedPositionRule.check(context)
        OverlappingFieldsCanBeMergedRule.check(context)
        UniqueInputFieldNamesRule.check(context)
        return context.errors
    }
}

extension GraphQLSchema {
    /// Validates a document against this schema with all the standard rules of spec §5.
    /// - Parameters:
    ///   - document: a parsed document.
    ///   - limits: unused today; reserved for complexity limits.
    /// - Returns: the errors, in graphql-js's wording with code `GRAPHQL_VALIDATION_FAILED` and
    ///   locations; empty when the document is valid.
    public func validate(_ document: GraphQLDocument, limits: GraphQLLimits = .default) -> [GraphQLError] {
        Validator.validate(document, schema: self)
    }
}

/// graphql-js's "Did you mean …?" suggestions, by lexical distance.
package enum Suggestions {
    package static func list(_ input: String, _ options: [String]) -> [String] {
        let threshold = Int(Double(input.count) * 0.4) + 1
        let lowered = input.lowercased()
        var scored: [(String, Int)] = []
        for option in options {
            let distance = lowered == option.lowercased() ? 1 : levenshtein(Array(lowered.utf8), Array(option.lowercased().utf8))
            if distance <= threshold { scored.append((option, distance)) }
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
    }

    /// ` Did you mean "a", "b", or "c"?` (up to five), or the empty string.
    package static func didYouMean(_ suggestions: [String], prefix: String = "") -> String {
        let quoted = suggestions.prefix(5).map { "\"\($0)\"" }
        switch quoted.count {
        case 0: return ""
        case 1: return " Did you mean \(prefix)\(quoted[0])?"
        case 2: return " Did you mean \(prefix)\(quoted[0]) or \(quoted[1])?"
        default: return " Did you mean \(prefix)\(quoted.dropLast().joined(separator: ", ")), or \(quoted[quoted.count - 1])?"
        }
    }

    private static func levenshtein(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
