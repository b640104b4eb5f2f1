// swift-tools-version: 6.2
// The sanitizer package (scripts/sanitizers.sh, scripts/test-sanitizers.sh; Docs/RELIABILITY.md
// "Sanitizers"): the targets with concurrency and unsafe pointers and their tests, over the very
// same sources (Sources/* and Tests/* here are symbolic links to the repository's), so that a
// ThreadSanitizer or AddressSanitizer build compiles only these and not WorkerAPI, the executables
// and their tests. Keep the targets' settings and dependencies as in the root Package.swift.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "worker-service-sanitizers",
    targets: [
        .target(name: "TaskCore", swiftSettings: strictSettings),
        .target(name: "Scheduling", dependencies: ["TaskCore"], swiftSettings: strictSettings),
        .target(name: "GraphQLLite", swiftSettings: strictSettings),
        .target(name: "HTTPServer", swiftSettings: strictSettings),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteStore", dependencies: ["TaskCore", "CSQLite"], swiftSettings: strictSettings),
        .systemLibrary(name: "CPostgreSQL", providers: [.apt(["libpq-dev"])]),
        .target(name: "PostgresStore", dependencies: ["TaskCore", "CPostgreSQL"], swiftSettings: strictSettings),
        .testTarget(name: "TaskCoreTests", dependencies: ["TaskCore"], swiftSettings: strictSettings),
        .testTarget(name: "SchedulingTests", dependencies: ["TaskCore", "Scheduling"], swiftSettings: strictSettings),
        .testTarget(name: "GraphQLLiteTests", dependencies: ["GraphQLLite"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"], swiftSettings: strictSettings),
        .testTarget(
            name: "StoreConformanceTests",
            dependencies: ["TaskCore", "SQLiteStore", "PostgresStore"],
            swiftSettings: strictSettings
        ),
    ]
)
