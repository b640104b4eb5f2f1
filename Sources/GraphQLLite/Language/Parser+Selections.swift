extension Parser {
    mutating func parseSelectionSet() throws(GraphQLError) -> SelectionSet {
        let position = token.position
        try expect(.braceL)
        try descend()
        var selections: [Selection] = []
        selections.reserveCapacity(8)  // one allocation for typical selection sets instead of regrowing
        repeat {
            selections.append(try parseSelection())
        } while !(try skip(.braceR))
        depth -= 1
        return SelectionSet(selections: selections, position: position)
    }

    mutating func parseSelection() throws(GraphQLError) -> Selection {
        if token.kind == .spread {
            let position = token.position
            try advance()
            if token.kind == .name, !isKeyword("on") {
                let namePosition = token.position
                let name = try expectName()
                let directives = try parseDirectives(isConst: false)
                return .fragmentSpread(FragmentSpread(name: name, directives: directives, position: position, namePosition: namePosition))
            }
            var typeCondition: NamedTypeNode?
            if isKeyword("on") {
                try advance()
                let typePosition = token.position
                typeCondition = NamedTypeNode(name: try expectName(), position: typePosition)
            }
            let directives = try parseDirectives(isConst: false)
            let selectionSet = try parseSelectionSet()
            return .inlineFragment(InlineFragment(
                typeCondition: typeCondition, directives: directives, selectionSet: selectionSet, position: position
            ))
        }
        return .field(try parseField())
    }

    mutating func parseField() throws(GraphQLError) -> FieldNode {
        let position = token.position
        let nameOrAlias = try expectName()
        var alias: String?
        var name = nameOrAlias
        if try skip(.colon) {
            alias = nameOrAlias
            name = try expectName()
            aliasCount += 1
            if aliasCount > limits.maxAliases {
                throw syntaxError("Document contains more than \(limits.maxAliases) aliases.", position)
            }
        }
        fieldCount += 1
        if fieldCount > limits.maxFields {
            throw syntaxError("Document contains more than \(limits.maxFields) fields.", position)
        }
        let arguments = try parseArguments(isConst: false)
        let directives = try parseDirectives(isConst: false)
        let selectionSet = token.kind == .braceL ? try parseSelectionSet() : nil
        return FieldNode(
            alias: alias, name: name, arguments: arguments, directives: directives,
            selectionSet: selectionSet, position: position
        )
    }

    mutating func parseArguments(isConst: Bool) throws(GraphQLError) -> [Argument] {
        guard try skip(.parenL) else { return [] }
        var arguments: [Argument] = []
        repeat {
            let position = token.position
            let name = try expectName()
            try expect(.colon)
            arguments.append(Argument(name: name, value: try parseValue(isConst: isConst), position: position))
        } while !(try skip(.parenR))
        return arguments
    }

    mutating func parseDirectives(isConst: Bool) throws(GraphQLError) -> [Directive] {
        var directives: [Directive] = []
        while token.kind == .at {
            let position = token.position
            try advance()
            let name = try expectName()
            directives.append(Directive(name: name, arguments: try parseArguments(isConst: isConst), position: position))
        }
        return directives
    }

    mutating func parseType() throws(GraphQLError) -> TypeNode {
        let position = token.position
        var type: TypeNode
        if try skip(.bracketL) {
            try descend()
            let inner = try parseType()
            try expect(.bracketR)
            depth -= 1
            type = .list(inner, position)
        } else {
            type = .named(try expectName(), position)
        }
        if try skip(.bang) { type = .nonNull(type, position) }
        return type
    }

    mutating func parseValue(isConst: Bool) throws(GraphQLError) -> ValueNode {
        let start = token
        let position = token.position
        switch token.kind {
        case .bracketL:
            try advance()
            try descend()
            var values: [ValueNode] = []
            while !(try skip(.bracketR)) { values.append(try parseValue(isConst: isConst)) }
            depth -= 1
            return ValueNode(kind: .list(values), position: position)
        case .braceL:
            try advance()
            try descend()
            var fields: [ObjectField] = []
            while !(try skip(.braceR)) {
                let fieldPosition = token.position
                let name = try expectName()
                try expect(.colon)
                fields.append(ObjectField(name: name, value: try parseValue(isConst: isConst), position: fieldPosition))
            }
            depth -= 1
            return ValueNode(kind: .object(fields), position: position)
        case .int:
            try advance()
            return ValueNode(kind: .int(lexer.text(start.start, start.end)), position: position)
        case .float:
            try advance()
            return ValueNode(kind: .float(lexer.text(start.start, start.end)), position: position)
        case .string, .blockString:
            if start.kind == .blockString { blockStrings.insert(position) }
            try advance()
            return ValueNode(kind: .string(start.value ?? ""), position: position)
        case .name:
            let name = lexer.text(start.start, start.end)
            try advance()
            switch name {
            case "true": return ValueNode(kind: .boolean(true), position: position)
            case "false": return ValueNode(kind: .boolean(false), position: position)
            case "null": return ValueNode(kind: .null, position: position)
            default: return ValueNode(kind: .enumValue(name), position: position)
            }
        case .dollar:
            if isConst {
                try advance()
                if token.kind == .name {
                    throw syntaxError("Unexpected variable \"$\(lexer.text(token.start, token.end))\" in constant value.", position)
                }
                throw unexpected(start)
            }
            try advance()
            return ValueNode(kind: .variable(try expectName()), position: position)
        default:
            throw unexpected(token)
        }
    }
}
