/// Every store the conformance suite runs against. Add a factory here when a store lands
/// (a factory whose back-end is unavailable, such as PostgreSQL without a server, may be left out
/// by computing this list).
let allStoreFactories: [StoreFactory] = [.inMemory]
    + [.sqlite]
    + (PostgresTestServer.isAvailable ? [.postgres] : [])
