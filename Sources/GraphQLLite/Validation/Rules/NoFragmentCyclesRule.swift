/// Spec 5.5.2.2: fragments do not spread themselves, directly or through others.
struct NoFragmentCyclesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var visited: Set<String> = []
        var spreadPath: [(name: String, position: SourcePosition)] = []
        var pathIndex: [String: Int] = [:]

        func spreads(of fragment: FragmentDefinition?) -> [FragmentSpread] {
            guard let fragment else { return [] }
            var result: [FragmentSpread] = []
            var stack = [fragment.selectionSet]
            while let set = stack.popLast() {
                for selection in set.selections {
                    switch selection {
                    case .field(let field): if let sub = field.selectionSet { stack.append(sub) }
                    case .fragmentSpread(let spread): result.append(spread)
                    case .inlineFragment(let inline): stack.append(inline.selectionSet)
                    }
                }
            }
            return result
        }

        // Iterative depth-first search, as graphql-js's recursive one (deep chains must not overflow the stack).
        // graphql-js starts at each definition itself and follows spreads to the fragment of that
        // name (the last one, when a name is defined twice).
        func detect(_ start: FragmentDefinition) {
            var frames: [(name: String, spreads: [FragmentSpread], next: Int)] = []
            func enter(_ name: String, _ definition: FragmentDefinition?) {
                visited.insert(name)
                pathIndex[name] = spreadPath.count
                frames.append((name, spreads(of: definition), 0))
            }
            enter(start.name, start)
            while let top = frames.indices.last {
                guard frames[top].next < frames[top].spreads.count else {
                    pathIndex[frames[top].name] = nil
                    frames.removeLast()
                    if !frames.isEmpty { spreadPath.removeLast() }
                    continue
                }
                let spread = frames[top].spreads[frames[top].next]
                frames[top].next += 1
                let cycleIndex = pathIndex[spread.name]
                spreadPath.append((spread.name, spread.position))
                if let cycleIndex {
                    let cycle = Array(spreadPath[cycleIndex...])
                    let via = cycle.dropLast().map { "\"\($0.name)\"" }
                    let viaText = via.isEmpty ? "" : " via \(via.joined(separator: ", "))"
                    context.report("Cannot spread fragment \"\(spread.name)\" within itself\(viaText).", cycle.map(\.position))
                    spreadPath.removeLast()
                } else if !visited.contains(spread.name), context.document.fragments[spread.name] != nil {
                    enter(spread.name, context.document.fragments[spread.name])
                } else {
                    spreadPath.removeLast()
                }
            }
        }

        for definition in context.document.definitions {
            guard case .fragment(let fragment) = definition, !visited.contains(fragment.name) else { continue }
            spreadPath = []
            pathIndex = [:]
            detect(fragment)
        }
    }
}
