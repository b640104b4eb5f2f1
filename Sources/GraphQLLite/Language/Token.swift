/// The kinds of lexical tokens.
package enum TokenKind: UInt8, Sendable {
    case eof, bang, dollar, amp, parenL, parenR, spread, colon, equals, at, bracketL, bracketR, braceL, pipe, braceR
    case name, int, float, string, blockString

    /// How graphql-js names the kind in messages: `Name`, `"{"`, `<EOF>`.
    package var display: String {
        switch self {
        case .eof: "<EOF>"
        case .bang: "\"!\""
        case .dollar: "\"$\""
        case .amp: "\"&\""
        case .parenL: "\"(\""
        case .parenR: "\")\""
        case .spread: "\"...\""
        case .colon: "\":\""
        case .equals: "\"=\""
        case .at: "\"@\""
        case .bracketL: "\"[\""
        case .bracketR: "\"]\""
        case .braceL: "\"{\""
        case .pipe: "\"|\""
        case .braceR: "\"}\""
        case .name: "Name"
        case .int: "Int"
        case .float: "Float"
        case .string: "String"
        case .blockString: "BlockString"
        }
    }
}

/// One token: its kind, its byte range, its position, and (for strings) its decoded value.
package struct Token: Sendable {
    package var kind: TokenKind
    package var start: Int
    package var end: Int
    package var position: SourcePosition
    /// The decoded value of a string or block string.
    package var value: String?
}
