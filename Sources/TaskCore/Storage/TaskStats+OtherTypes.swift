extension TaskStats {
    /// How many task types a summary or a metric lists one by one; the rest are summed into
    /// ``otherTypesKey``, so a client that invents 20,000 task types cannot make them grow without
    /// bound (issue 12, D4).
    public static let listedTypeLimit = 100

    /// The key (and metric label value) under which the types beyond ``listedTypeLimit`` are summed.
    /// A real type of this name is always counted there, so the key never appears twice.
    public static let otherTypesKey = "__other__"
}
