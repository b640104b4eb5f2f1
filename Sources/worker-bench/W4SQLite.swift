// Placeholder until its issue lands.
func runW4SQLite() async throws {
    print("not implemented yet")
}
