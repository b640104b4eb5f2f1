/// Spec 5.3.2: fields with the same response name can be merged (same field and arguments, or
/// mutually exclusive parents; compatible types; mergeable sub-selections).
struct OverlappingFieldsCanBeMergedRule: ValidationRule {
    struct Entry {
        let parent: NamedTypeModel?
        let node: FieldNode
        let definition: FieldModel?
        /// The named fragment spread of the checked selection set this field came through (`nil`:
        /// the set itself or its inline fragments). graphql-js compares the set's own fields
        /// first, then against each fragment in turn, which decides the order of each pair.
        var origin: SourcePosition? = nil
        /// The name of that fragment.
        var fragment: String? = nil
    }

    /// graphql-js's order of the fields of one response key: the set's own fields, then those of
    /// each named fragment (by where it is spread), each in document order.
    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        func key(_ position: SourcePosition?) -> (Int32, Int32) { position.map { ($0.line, $0.column) } ?? (0, 0) }
        if key(a.origin) != key(b.origin) { return key(a.origin) < key(b.origin) }
        return key(a.node.position) < key(b.node.position)
    }

    indirect enum Reason {
        case message(String)
        case subfields([(key: String, reason: Reason)])

        var text: String {
            switch self {
            case .message(let message): message
            case .subfields(let list): list.map { "subfields \"\($0.key)\" conflict because \($0.reason.text)" }.joined(separator: " and ")
            }
        }
    }

    struct Conflict {
        let key: String
        let reason: Reason
        /// The first field and its conflicting subfields, then the second and its: graphql-js's order.
        let left: [SourcePosition]
        let right: [SourcePosition]
        var positions: [SourcePosition] { left + right }

        init(key: String, reason: Reason, positions: [SourcePosition]) {
            self.init(key: key, reason: reason, left: [positions[0]], right: Array(positions.dropFirst()))
        }

        init(key: String, reason: Reason, left: [SourcePosition], right: [SourcePosition]) {
            self.key = key
            self.reason = reason
            self.left = left
            self.right = right
        }
    }

    /// Work limit (collected fields); hostile documents that expand fragments quadratically stop
    /// being checked here once it is spent (execution has its own limit).
    static let budget = 200_000

    static func check(_ context: ValidationContext) {
        var reported: Set<String> = []
        var spent = 0
        for (set, parent) in context.selectionSets {
            guard spent < budget, needsCheck(set) else { continue }
            let (order, map) = collect(parent, [set], context, spent: &spent)
            for key in order {
                guard let entries = map[key], entries.count > 1 else { continue }
                let (distinct, copies) = deduplicate(entries.sorted(by: precedes))
                for i in distinct.indices {
                    for j in distinct.indices where j > i {
                        guard let conflict = findConflict(key, distinct[i], distinct[j], exclusive: false, context) else { continue }
                        // graphql-js compares every pair, so each identical copy of a leaf field
                        // conflicts too, in graphql-js's order of the two.
                        for a in copies[i] {
                            for b in copies[j] {
                                let (x, y) = precedes(b, a) ? (b, a) : (a, b)
                                // Two fields inside one spread fragment: graphql-js reports that
                                // conflict where the fragment's own selection set is checked.
                                if let origin = x.origin, origin == y.origin { continue }
                                let found = x.node === distinct[i].node && y.node === distinct[j].node
                                    ? conflict : findConflict(key, x, y, exclusive: false, context)
                                guard let found else { continue }
                                let text = "Fields \"\(found.key)\" conflict because \(found.reason.text). Use different aliases on the fields to fetch both if this was intentional."
                                // Each pair once, in the order it is first found: graphql-js compares two
                                // fragments once per document (its `comparedFragmentPairs` is unordered),
                                // so a selection set checked later (an inline fragment spreading both)
                                // does not report the pair again the other way round.
                                let sides = [found.left, found.right].map { $0.map { "\($0.line):\($0.column)" }.joined(separator: ",") }
                                if reported.insert(text + sides.sorted().joined(separator: "|")).inserted {
                                    context.report(text, found.positions)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether a selection set can contain two fields with one response key (fast exit for the common case).
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

    /// Leaf entries with the same parent, name and arguments cannot conflict with each other:
    /// one of each is checked, with all its copies (itself first).
    private static func deduplicate(_ entries: [Entry]) -> ([Entry], [[Entry]]) {
        var seen: [String: Int] = [:]
        var result: [Entry] = []
        var copies: [[Entry]] = []
        for entry in entries {
            guard entry.node.selectionSet == nil else {
                result.append(entry)
                copies.append([entry])
                continue
            }
            let parent = entry.parent.map { ObjectIdentifier($0).debugDescription } ?? "-"
            let signature = parent + "|" + entry.node.name + "|" + arguments(entry.node.arguments)
            if let index = seen[signature] {
                copies[index].append(entry)
            } else {
                seen[signature] = result.count
                result.append(entry)
                copies.append([entry])
            }
        }
        return (result, copies)
    }

    private static func arguments(_ arguments: [Argument]) -> String {
        arguments.map { "\($0.name):\(InputCoercion.print($0.value))" }.sorted().joined(separator: ",")
    }

    /// Collects the fields of selection sets by response key, expanding fragments.
    static func collect(_ parent: NamedTypeModel?, _ sets: [SelectionSet], _ context: ValidationContext) -> ([String], [String: [Entry]]) {
        var spent = 0
        return collect(parent, sets, context, spent: &spent)
    }

    static func collect(
        _ parent: NamedTypeModel?, _ sets: [SelectionSet], _ context: ValidationContext, spent: inout Int
    ) -> ([String], [String: [Entry]]) {
        var order: [String] = []
        var map: [String: [Entry]] = [:]
        var visited: Set<String> = []
        var stack: [(NamedTypeModel?, SelectionSet, (SourcePosition, String)?)] = sets.reversed().map { (parent, $0, nil) }
        while let (type, set, origin) = stack.popLast(), spent < budget {
            spent += set.selections.count
            var nested: [(NamedTypeModel?, SelectionSet, (SourcePosition, String)?)] = []
            for selection in set.selections {
                switch selection {
                case .field(let node):
                    let key = node.responseKey
                    let definition = type.flatMap { context.fieldDefinition(node.name, on: $0, isRoot: false) }
                    if map[key] == nil { order.append(key) }
                    map[key, default: []].append(
                        Entry(parent: type, node: node, definition: definition, origin: origin?.0, fragment: origin?.1))
                case .inlineFragment(let inline):
                    let conditionType = inline.typeCondition.flatMap { context.schema.type(named: $0.name) } ?? type
                    nested.append((conditionType, inline.selectionSet, origin))
                case .fragmentSpread(let spread):
                    guard visited.insert(spread.name).inserted, let fragment = context.document.fragments[spread.name] else { continue }
                    nested.append((context.schema.type(named: fragment.typeCondition.name), fragment.selectionSet, origin ?? (spread.position, spread.name)))
                }
            }
            stack.append(contentsOf: nested.reversed())
        }
        return (order, map)
    }

    static func findConflict(_ key: String, _ a: Entry, _ b: Entry, exclusive parentsExclusive: Bool, _ context: ValidationContext) -> Conflict? {
        let exclusive = parentsExclusive
            || (a.parent !== b.parent && a.parent?.kind == .object && b.parent?.kind == .object)
        let positions = [a.node.position, b.node.position]
        if !exclusive {
            if a.node.name != b.node.name {
                return Conflict(key: key, reason: .message("\"\(a.node.name)\" and \"\(b.node.name)\" are different fields"), positions: positions)
            }
            if arguments(a.node.arguments) != arguments(b.node.arguments) {
                return Conflict(key: key, reason: .message("they have differing arguments"), positions: positions)
            }
        }
        let typeA = a.definition?.type
        let typeB = b.definition?.type
        if let typeA, let typeB, typesConflict(typeA, typeB) {
            return Conflict(key: key, reason: .message("they return conflicting types \"\(typeA)\" and \"\(typeB)\""), positions: positions)
        }
        if let setA = a.node.selectionSet, let setB = b.node.selectionSet {
            let (orderA, mapA) = collect(typeA?.named, [setA], context)
            let (_, mapB) = collect(typeB?.named, [setB], context)
            var subConflicts: [Conflict] = []
            for subKey in orderA {
                guard let entriesA = mapA[subKey], let entriesB = mapB[subKey] else { continue }
                outer: for entryA in entriesA {
                    for entryB in entriesB {
                        // The same fragment spread on both sides: graphql-js does not compare a
                        // fragment with itself (its own conflicts are reported at the fragment).
                        if let fragment = entryA.fragment, fragment == entryB.fragment { continue }
                        if let conflict = findConflict(subKey, entryA, entryB, exclusive: exclusive, context) {
                            subConflicts.append(conflict)
                            break outer
                        }
                    }
                }
            }
            if !subConflicts.isEmpty {
                return Conflict(
                    key: key,
                    reason: .subfields(subConflicts.map { ($0.key, $0.reason) }),
                    left: [a.node.position] + subConflicts.flatMap(\.left),
                    right: [b.node.position] + subConflicts.flatMap(\.right)
                )
            }
        }
        return nil
    }

    private static func typesConflict(_ a: TypeRef, _ b: TypeRef) -> Bool {
        switch (a, b) {
        case (.list(let innerA), .list(let innerB)): return typesConflict(innerA, innerB)
        case (.list, _), (_, .list): return true
        case (.nonNull(let innerA), .nonNull(let innerB)): return typesConflict(innerA, innerB)
        case (.nonNull, _), (_, .nonNull): return true
        case (.named(let namedA), .named(let namedB)):
            return (namedA.isLeaf || namedB.isLeaf) && namedA !== namedB
        }
    }
}
