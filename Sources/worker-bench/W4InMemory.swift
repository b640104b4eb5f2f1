// Placeholder until its issue lands.
func runW4InMemory() async throws {
    print("not implemented yet")
}
