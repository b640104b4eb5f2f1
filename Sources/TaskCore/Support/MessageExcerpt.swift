extension TaskCoreError {
    /// The longest client-supplied text an error message quotes, in Unicode scalars.
    public static let excerptLimit = 64

    /// Client-supplied text as an error message may quote it: at most ``excerptLimit`` Unicode
    /// scalars, then `…` and the full length, so a 900 KB id is not echoed back in a 900 KB error.
    ///
    /// Counted in scalars, not `Character`s: one grapheme cluster can hold any number of combining
    /// marks, so a `Character` prefix would not bound the size.
    /// ```swift
    /// TaskCoreError.excerpt("12345")                      // "12345"
    /// TaskCoreError.excerpt(String(repeating: "9", count: 900_000))
    /// // "9999…9999… (900000 characters)"
    /// ```
    /// - Complexity: O(``excerptLimit``) for long text.
    public static func excerpt(_ text: some StringProtocol, limit: Int = excerptLimit) -> String {
        let scalars = text.unicodeScalars
        guard let cut = scalars.index(scalars.startIndex, offsetBy: limit, limitedBy: scalars.endIndex),
            cut != scalars.endIndex
        else { return String(text) }
        var shown = String(String.UnicodeScalarView(scalars[..<cut]))
        shown += "… (\(scalars.count) characters)"
        return shown
    }
}
