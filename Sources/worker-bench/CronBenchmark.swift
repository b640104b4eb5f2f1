// Placeholder until its issue lands.
func runCronBenchmark() async throws {
    print("not implemented yet")
}
