// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode plus the upcoming features the house style asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "worker-service",
    products: [
        .library(name: "TaskCore", targets: ["TaskCore"]),
        .library(name: "Scheduling", targets: ["Scheduling"]),
        .library(name: "GraphQLLite", targets: ["GraphQLLite"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        .library(name: "WorkerAPI", targets: ["WorkerAPI"]),
        .library(name: "SQLiteStore", targets: ["SQLiteStore"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
        .executable(name: "worker-demo", targets: ["worker-demo"]),
        .executable(name: "worker-bench", targets: ["worker-bench"]),
        .executable(name: "graphql-diff-runner", targets: ["graphql-diff-runner"]),
    ],
    targets: [
        // Pure Swift core: models, state machine, priority queue, cron, storage protocol, in-memory store.
        .target(name: "TaskCore", swiftSettings: strictSettings),
        // Worker pool, cron scheduler and the service facade, on top of any TaskStore.
        .target(name: "Scheduling", dependencies: ["TaskCore"], swiftSettings: strictSettings),
        // A standalone GraphQL engine; depends on nothing of ours.
        .target(name: "GraphQLLite", swiftSettings: strictSettings),
        // A standalone HTTP/1.1 server on POSIX sockets; depends on nothing of ours.
        .target(name: "HTTPServer", swiftSettings: strictSettings),
        // Transport-independent API: REST router, gateway GraphQL schema, gateway backends.
        .target(
            name: "WorkerAPI",
            dependencies: ["TaskCore", "Scheduling", "GraphQLLite"],
            swiftSettings: strictSettings,
            plugins: ["EmbedWebAssets"]
        ),
        // Dashboard (issue 16): the pages under Web/ (dashboard, playground) embedded into WorkerAPI at build time.
        .executableTarget(name: "embed-web-assets", swiftSettings: strictSettings),
        .plugin(name: "EmbedWebAssets", capability: .buildTool(), dependencies: ["embed-web-assets"]),
        // Durable stores, each with its own system library.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteStore", dependencies: ["TaskCore", "CSQLite"], swiftSettings: strictSettings),
        .systemLibrary(name: "CPostgreSQL", providers: [.apt(["libpq-dev"])]),
        .target(name: "PostgresStore", dependencies: ["TaskCore", "CPostgreSQL"], swiftSettings: strictSettings),
        // Front-ends.
        .executableTarget(
            name: "worker-demo",
            dependencies: ["TaskCore", "Scheduling", "WorkerAPI", "HTTPServer", "SQLiteStore", "PostgresStore"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "worker-bench",
            dependencies: ["TaskCore", "Scheduling", "GraphQLLite", "WorkerAPI", "HTTPServer", "SQLiteStore", "PostgresStore"],
            swiftSettings: strictSettings
        ),
        // GraphQLLite's side of the differential test against graphql-core (scripts/test-graphql-differential.sh).
        .executableTarget(
            name: "graphql-diff-runner",
            dependencies: ["TaskCore", "Scheduling", "GraphQLLite", "WorkerAPI"],
            swiftSettings: strictSettings
        ),
        // Tests.
        .testTarget(name: "TaskCoreTests", dependencies: ["TaskCore"], swiftSettings: strictSettings),
        .testTarget(name: "SchedulingTests", dependencies: ["TaskCore", "Scheduling"], swiftSettings: strictSettings),
        .testTarget(name: "GraphQLLiteTests", dependencies: ["GraphQLLite"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"], swiftSettings: strictSettings),
        .testTarget(
            name: "WorkerAPITests",
            dependencies: ["TaskCore", "Scheduling", "GraphQLLite", "WorkerAPI", "HTTPServer"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["TaskCore", "SQLiteStore"], swiftSettings: strictSettings),
        // One conformance suite, run unchanged against every TaskStore implementation.
        .testTarget(
            name: "StoreConformanceTests",
            dependencies: ["TaskCore", "SQLiteStore", "PostgresStore"],
            swiftSettings: strictSettings
        ),
    ]
)
