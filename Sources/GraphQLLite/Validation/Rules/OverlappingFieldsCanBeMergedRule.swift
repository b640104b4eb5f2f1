/// Spec 5.3.2: fields with the same response name can be merged (same field and arguments, or
/// mutually exclusive parents; compatible types; mergeable sub-selections).
///
/// A port of graphql-core 3.2's algorithm (graphql-js 16's, with its memoisation), step by step:
/// which pairs are compared, and so which conflicts are reported and which subfields each message
/// names, depends on what was compared before in the same document (two fragments are compared
/// once per document; a collection of fields is compared with a fragment once), so matching the
/// reference means doing the same comparisons in the same order. The letters (A)–(J) are
/// graphql-js's steps. Selection sets of inline fragments are not checked on their own: their
/// fields are collected into the enclosing set.
struct OverlappingFieldsCanBeMergedRule: ValidationRule {
    /// A field node with the parent type it was collected under and its definition there (`nil`
    /// for meta-fields and on unions, as graphql-js's `parentType.getFields()` has them).
    final class FieldDetails {
        let parent: NamedTypeModel?
        let node: FieldNode
        let definition: FieldModel?
        let isSimpleLeaf: Bool

        init(parent: NamedTypeModel?, node: FieldNode, definition: FieldModel?) {
            self.parent = parent
            self.node = node
            self.definition = definition
            self.isSimpleLeaf = node.arguments.isEmpty && node.selectionSet == nil
        }
    }

    /// The fields of a selection set (inline fragments included) by response key, in the order
    /// each key first appears, and the names of the fragments it spreads (each once, in order).
    final class Collected {
        var keys: [String] = []
        var groups: [String: [FieldDetails]] = [:]
        var fragmentNames: [String] = []
        /// The fragments this collection was compared with, and whether that comparison was
        /// under mutually exclusive parents (graphql-js's `comparedFieldsAndFragmentPairs`).
        var comparedFragments: [String: Bool] = [:]
        var isEmpty: Bool { keys.isEmpty }
    }

    struct Conflict {
        let key: String
        let reason: String
        let fields1: [FieldNode]
        let fields2: [FieldNode]
    }

    private struct CacheKey: Hashable {
        let parent: ObjectIdentifier?
        let set: ObjectIdentifier
    }

    /// Work limit, in graphql-core's units (one per field pair compared twice over, one per
    /// fragment use...): documents that make the comparisons explode stop being checked here
    /// (graphql-core aborts validation at the same count; execution has its own limits).
    static let budget = 500_000

    /// graphql-core keeps conflict messages and their locations bounded.
    static let maxDetailLength = 1000
    static let maxConflictNodes = 20

    /// The state of one document's check.
    final class State {
        let context: ValidationContext
        var comparedFragmentPairs: [String: [String: Bool]] = [:]
        private var cache: [CacheKey: Collected] = [:]
        var remaining = OverlappingFieldsCanBeMergedRule.budget

        init(_ context: ValidationContext) { self.context = context }

        /// Spends budget; `false` once it is exhausted (the check then stops).
        func spend(_ cost: Int) -> Bool {
            remaining -= cost
            return remaining >= 0
        }

        var exhausted: Bool { remaining < 0 }

        // MARK: Collecting

        func collect(_ parent: NamedTypeModel?, _ set: SelectionSet) -> Collected {
            let key = CacheKey(parent: parent.map(ObjectIdentifier.init), set: ObjectIdentifier(set))
            if let cached = cache[key] { return cached }
            let result = Collected()
            var fragments: Set<String> = []
            collect(parent, set, into: result, &fragments)
            cache[key] = result
            return result
        }

        private func collect(_ parent: NamedTypeModel?, _ set: SelectionSet, into result: Collected, _ fragments: inout Set<String>) {
            for selection in set.selections {
                switch selection {
                case .field(let node):
                    var definition: FieldModel?
                    if let parent, parent.kind == .object || parent.kind == .interface { definition = parent.field(node.name) }
                    let key = node.responseKey
                    let details = FieldDetails(parent: parent, node: node, definition: definition)
                    if result.groups[key]?.append(details) == nil {
                        result.keys.append(key)
                        result.groups[key] = [details]
                    }
                case .fragmentSpread(let spread):
                    if fragments.insert(spread.name).inserted { result.fragmentNames.append(spread.name) }
                case .inlineFragment(let inline):
                    // An unknown type condition gives no parent type (and so no definitions).
                    var type = parent
                    if let condition = inline.typeCondition { type = context.schema.type(named: condition.name) }
                    collect(type, inline.selectionSet, into: result, &fragments)
                }
            }
        }

        func collectFragment(_ name: String) -> Collected? {
            guard let fragment = context.document.fragments[name] else { return nil }
            return collect(context.schema.type(named: fragment.typeCondition.name), fragment.selectionSet)
        }

        // MARK: Comparing

        /// Conflicts within a selection set, including those through the fragments it spreads.
        func conflictsWithin(_ parent: NamedTypeModel?, _ set: SelectionSet) -> [Conflict] {
            var conflicts: [Conflict] = []
            let collected = collect(parent, set)
            // (A) The fields of this set with each other: the only place fields of one
            // collection are compared with each other.
            for key in collected.keys {
                guard let fields = collected.groups[key], fields.count > 1 else { continue }
                for i in fields.indices {
                    for j in (i + 1)..<fields.count {
                        if let conflict = findConflict(exclusive: false, key, fields[i], fields[j]) { conflicts.append(conflict) }
                        if exhausted { return conflicts }
                    }
                }
            }
            let names = collected.fragmentNames
            guard !names.isEmpty, !collected.isEmpty || names.count > 1 else { return conflicts }
            for (index, name) in names.enumerated() {
                // (B) These fields with each fragment's.
                betweenFieldsAndFragment(&conflicts, exclusive: false, collected, name)
                // (C) Each fragment with the ones after it.
                for other in names[(index + 1)...] {
                    betweenFragments(&conflicts, exclusive: false, name, other)
                }
                if exhausted { return conflicts }
            }
            return conflicts
        }

        /// (D, E) A collection of fields with a fragment, then with the fragments it spreads, depth
        /// first (graphql-js recurses; a stack keeps long fragment chains off the call stack).
        func betweenFieldsAndFragment(_ conflicts: inout [Conflict], exclusive: Bool, _ collected: Collected, _ name: String) {
            var stack = [name]
            while let name = stack.popLast() {
                guard spend(1) else { return }
                guard !collected.isEmpty else { continue }
                // Each pair once; a comparison with overlapping parents covers an exclusive one.
                if let compared = collected.comparedFragments[name], !compared || exclusive { continue }
                collected.comparedFragments[name] = exclusive
                guard let fragment = collectFragment(name), fragment !== collected else { continue }
                between(&conflicts, exclusive: exclusive, collected, fragment)
                stack.append(contentsOf: fragment.fragmentNames.reversed())
            }
        }

        /// (F, G) Two fragments, then the first with each fragment the second spreads and each the
        /// first spreads with the second, depth first.
        func betweenFragments(_ conflicts: inout [Conflict], exclusive: Bool, _ name1: String, _ name2: String) {
            var stack = [(name1, name2)]
            while let (name1, name2) = stack.popLast() {
                guard spend(2) else { return }
                guard name1 != name2 else { continue }
                // Each pair once per document, either way round.
                if comparedFragmentPairs[name1]?[name2].map({ exclusive || !$0 }) == true
                    || comparedFragmentPairs[name2]?[name1].map({ exclusive || !$0 }) == true { continue }
                comparedFragmentPairs[name1, default: [:]][name2] = exclusive
                guard let fragment1 = collectFragment(name1), let fragment2 = collectFragment(name2) else { continue }
                between(&conflicts, exclusive: exclusive, fragment1, fragment2)
                // Pushed in reverse: popped as graphql-js's recursion visits them.
                stack.append(contentsOf: fragment1.fragmentNames.reversed().map { ($0, name2) })
                stack.append(contentsOf: fragment2.fragmentNames.reversed().map { (name1, $0) })
            }
        }

        /// (H, I, J) The sub-selections of two fields.
        func betweenSubSelections(
            exclusive: Bool, _ parent1: NamedTypeModel?, _ set1: SelectionSet, _ parent2: NamedTypeModel?, _ set2: SelectionSet
        ) -> [Conflict] {
            var conflicts: [Conflict] = []
            let collected1 = collect(parent1, set1)
            let collected2 = collect(parent2, set2)
            between(&conflicts, exclusive: exclusive, collected1, collected2)
            for name in collected2.fragmentNames {
                betweenFieldsAndFragment(&conflicts, exclusive: exclusive, collected1, name)
            }
            for name in collected1.fragmentNames {
                betweenFieldsAndFragment(&conflicts, exclusive: exclusive, collected2, name)
            }
            for name1 in collected1.fragmentNames {
                for name2 in collected2.fragmentNames {
                    betweenFragments(&conflicts, exclusive: exclusive, name1, name2)
                }
            }
            return conflicts
        }

        /// Every field of one collection with every field of the same key in the other.
        func between(_ conflicts: inout [Conflict], exclusive: Bool, _ collected1: Collected, _ collected2: Collected) {
            guard !collected1.isEmpty, !collected2.isEmpty else { return }
            for key in collected1.keys {
                guard spend(1) else { return }
                guard let fields2 = collected2.groups[key], let fields1 = collected1.groups[key] else { continue }
                for field1 in fields1 {
                    for field2 in fields2 {
                        if let conflict = findConflict(exclusive: exclusive, key, field1, field2) { conflicts.append(conflict) }
                        if exhausted { return }
                    }
                }
            }
        }

        /// Whether two fields conflict, their sub-fields included.
        func findConflict(exclusive parentsExclusive: Bool, _ key: String, _ field1: FieldDetails, _ field2: FieldDetails) -> Conflict? {
            let node1 = field1.node
            let node2 = field2.node
            // Different object types never apply at the same time, so their fields may differ in
            // name and arguments; interfaces and unions may overlap.
            let exclusive = parentsExclusive
                || (field1.parent !== field2.parent && field1.parent?.kind == .object && field2.parent?.kind == .object)
            let type1 = field1.definition?.type
            let type2 = field2.definition?.type
            guard spend(2) else { return nil }
            if field1.isSimpleLeaf, field2.isSimpleLeaf, node1.name == node2.name, Self.sameType(type1, type2) { return nil }
            if !exclusive {
                if node1.name != node2.name {
                    return Conflict(
                        key: key, reason: "\"\(abbreviated(node1.name))\" and \"\(abbreviated(node2.name))\" are different fields",
                        fields1: [node1], fields2: [node2])
                }
                if !sameArguments(node1.arguments, node2.arguments) {
                    return Conflict(key: key, reason: "they have differing arguments", fields1: [node1], fields2: [node2])
                }
            }
            if let type1, let type2, typesConflict(type1, type2) {
                return Conflict(
                    key: key, reason: "they return conflicting types \"\(type1)\" and \"\(type2)\"", fields1: [node1], fields2: [node2])
            }
            if let set1 = node1.selectionSet, let set2 = node2.selectionSet {
                let subConflicts = betweenSubSelections(exclusive: exclusive, type1?.named, set1, type2?.named, set2)
                return Self.subfieldConflicts(subConflicts, key, node1, node2)
            }
            return nil
        }

        private func sameArguments(_ arguments1: [Argument], _ arguments2: [Argument]) -> Bool {
            guard arguments1.count == arguments2.count else { return false }
            for argument in arguments1 {
                guard spend(1) else { return true }
                // graphql-js looks the other side's argument up by name (the last of a name).
                guard let other = arguments2.last(where: { $0.name == argument.name }),
                      Self.sameValue(argument.value, other.value, context.document.blockStrings) else { return false }
            }
            return true
        }

        private func typesConflict(_ a: TypeRef, _ b: TypeRef) -> Bool {
            _ = spend(1)
            switch (a, b) {
            case (.list(let innerA), .list(let innerB)): return typesConflict(innerA, innerB)
            case (.list, _), (_, .list): return true
            case (.nonNull(let innerA), .nonNull(let innerB)): return typesConflict(innerA, innerB)
            case (.nonNull, _), (_, .nonNull): return true
            case (.named(let namedA), .named(let namedB)):
                return (namedA.isLeaf || namedB.isLeaf) && namedA !== namedB
            }
        }

        private static func sameType(_ a: TypeRef?, _ b: TypeRef?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case (let a?, let b?): a.isEqual(to: b)
            default: false
            }
        }

        /// graphql-js compares argument values as written, object fields ordered by name
        /// (`{a: 1, b: 2}` is `{b: 2, a: 1}`; `1` is not `1.0`, `A` not `"A"`, `"x"` not `"""x"""`).
        static func sameValue(_ a: ValueNode, _ b: ValueNode, _ blockStrings: Set<SourcePosition>) -> Bool {
            switch (a.kind, b.kind) {
            case (.variable(let x), .variable(let y)), (.int(let x), .int(let y)), (.float(let x), .float(let y)),
                 (.enumValue(let x), .enumValue(let y)):
                return x == y
            case (.string(let x), .string(let y)):
                return x == y && (blockStrings.isEmpty || blockStrings.contains(a.position) == blockStrings.contains(b.position))
            case (.boolean(let x), .boolean(let y)): return x == y
            case (.null, .null): return true
            case (.list(let x), .list(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1, blockStrings) }
            case (.object(let x), .object(let y)):
                guard x.count == y.count else { return false }
                // A stable sort by name, as graphql-js's `sortValueNode`.
                func sorted(_ fields: [ObjectField]) -> [ObjectField] {
                    fields.enumerated().sorted { $0.element.name != $1.element.name ? $0.element.name < $1.element.name : $0.offset < $1.offset }
                        .map(\.element)
                }
                return zip(sorted(x), sorted(y)).allSatisfy { $0.name == $1.name && sameValue($0.value, $1.value, blockStrings) }
            default:
                return false
            }
        }

        /// One conflict for two fields from the conflicts of their sub-fields, all of them named.
        static func subfieldConflicts(_ conflicts: [Conflict], _ key: String, _ node1: FieldNode, _ node2: FieldNode) -> Conflict? {
            guard !conflicts.isEmpty else { return nil }
            var message = ""
            for conflict in conflicts {
                message += (message.isEmpty ? "" : " and ") + "subfields \"\(abbreviated(conflict.key))\" conflict because \(conflict.reason)"
                if message.count > maxDetailLength { break }
            }
            return Conflict(
                key: key, reason: abbreviated(message),
                fields1: conflictNodes(node1, conflicts.map(\.fields1)), fields2: conflictNodes(node2, conflicts.map(\.fields2)))
        }

        /// The enclosing field, then the conflicting sub-fields (at most `maxConflictNodes` in
        /// all, the deepest kept).
        private static func conflictNodes(_ node: FieldNode, _ lists: [[FieldNode]]) -> [FieldNode] {
            var nodes = [node]
            for fields in lists {
                nodes += fields.suffix(maxConflictNodes - nodes.count)
                if nodes.count == maxConflictNodes { break }
            }
            return nodes
        }
    }

    static func abbreviated(_ text: String) -> String {
        text.count > maxDetailLength ? String(text.prefix(maxDetailLength)) + "..." : text
    }

    static func check(_ context: ValidationContext) {
        var state: State?
        var reported: Set<String> = []
        for (set, parent) in context.selectionSets {
            guard needsCheck(set) else { continue }
            let current = state ?? State(context)
            state = current
            guard !current.exhausted else { break }
            for conflict in current.conflictsWithin(parent, set) {
                let message = "Fields \"\(abbreviated(conflict.key))\" conflict because \(conflict.reason). "
                    + "Use different aliases on the fields to fetch both if this was intentional."
                let positions = (conflict.fields1 + conflict.fields2).map(\.position)
                // graphql-js can reach one conflict on several paths; each is reported once.
                if reported.insert(message + positions.map { "@\($0.line):\($0.column)" }.joined()).inserted {
                    context.report(message, positions)
                }
            }
        }
    }

    /// Whether a selection set can hold a conflict: not when it is only fields with distinct
    /// response keys (the common case; their sub-selections are checked on their own).
    private static func needsCheck(_ set: SelectionSet) -> Bool {
        let selections = set.selections
        for index in selections.indices {
            guard case .field(let field) = selections[index] else { return true }
            let key = field.responseKey
            for other in selections[(index + 1)...] {
                if case .field(let otherField) = other, otherField.responseKey == key { return true }
            }
            if index > 64 { return true } // large sets: let the full check deal with them
        }
        return false
    }
}
