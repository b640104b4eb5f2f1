// Placeholder until its issue lands.
func runW2GraphQL() async throws {
    print("not implemented yet")
}
