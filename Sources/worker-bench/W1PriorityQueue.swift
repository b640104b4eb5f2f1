// Placeholder until its issue lands.
func runW1PriorityQueue() async throws {
    print("not implemented yet")
}
