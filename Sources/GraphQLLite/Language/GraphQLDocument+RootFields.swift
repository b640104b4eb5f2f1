extension GraphQLDocument {
    /// The names of the root fields an operation selects, in document order, through fragment
    /// spreads and inline fragments, each name once (`["createTask", "cancelTask"]`). Servers use
    /// it to log or authorise mutations by field.
    /// - Parameter operationName: the operation's name, or `nil` for the only operation.
    /// - Returns: the field names; empty when there is no such operation.
    /// - Complexity: O(size of the operation's root selection and the fragments it spreads).
    public func rootFieldNames(operationName: String?) -> [String] {
        let operation: OperationDefinition?
        if let operationName {
            operation = operations.first { $0.name == operationName }
        } else {
            operation = operations.count == 1 ? operations[0] : nil
        }
        guard let operation else { return [] }
        var names: [String] = []
        var seen: Set<String> = []
        var visitedFragments: Set<String> = []
        func collect(_ selectionSet: SelectionSet) {
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    if seen.insert(field.name).inserted { names.append(field.name) }
                case .inlineFragment(let fragment):
                    collect(fragment.selectionSet)
                case .fragmentSpread(let spread):
                    guard visitedFragments.insert(spread.name).inserted, let fragment = fragments[spread.name] else { continue }
                    collect(fragment.selectionSet)
                }
            }
        }
        collect(operation.selectionSet)
        return names
    }
}
