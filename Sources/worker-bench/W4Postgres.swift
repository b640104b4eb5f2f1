// Placeholder until its issue lands.
func runW4Postgres() async throws {
    print("not implemented yet")
}
