// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Bulwark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bulwark", targets: ["bulwark"]),
        .library(name: "BulwarkCore", targets: ["BulwarkCore"]),
        .library(name: "BulwarkTelemetry", targets: ["BulwarkTelemetry"]),
        .library(name: "BulwarkResilience", targets: ["BulwarkResilience"]),
        .library(name: "BulwarkSecurity", targets: ["BulwarkSecurity"]),
        .library(name: "BulwarkStore", targets: ["BulwarkStore"]),
        .library(name: "BulwarkOps", targets: ["BulwarkOps"]),
        .library(name: "BulwarkHTTP", targets: ["BulwarkHTTP"]),
        .library(name: "BulwarkHummingbird", targets: ["BulwarkHummingbird"]),
        .library(name: "BulwarkGateway", targets: ["BulwarkGateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // Prefetch, spin-wait and cycle-counter instructions Swift has no spelling for.
        .target(name: "CBulwarkCPU"),
        .target(
            name: "BulwarkCore",
            dependencies: ["CBulwarkCPU"],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkTelemetry",
            dependencies: [
                "BulwarkCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkResilience",
            dependencies: [
                "BulwarkCore",
                "CBulwarkCPU",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkSecurity",
            dependencies: [
                "BulwarkCore", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Debug builds count the bytes scanners read, so fuzz tests can assert bounded work.
            swiftSettings: strict + [.define("BULWARK_STEP_COUNT", .when(configuration: .debug))]
        ),
        .target(
            name: "BulwarkStore",
            dependencies: [
                "BulwarkCore",
                "BulwarkResilience",
                "BulwarkSecurity",
                "BulwarkTelemetry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkOps",
            dependencies: [
                "BulwarkCore",
                "BulwarkTelemetry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkHTTP",
            dependencies: [
                "BulwarkCore",
                "BulwarkResilience",
                "BulwarkSecurity",
                "BulwarkTelemetry",
                "BulwarkOps",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkHummingbird",
            dependencies: [
                "BulwarkHTTP",
                "BulwarkCore",
                "BulwarkTelemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkGateway",
            dependencies: [
                "BulwarkCore",
                "BulwarkResilience",
                "BulwarkSecurity",
                "BulwarkStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "BulwarkTelemetry",
                "BulwarkOps",
                "BulwarkHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "bulwark",
            dependencies: [
                "BulwarkCore",
                "BulwarkGateway",
                "BulwarkSecurity",
                "BulwarkStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "BulwarkTesting",
            dependencies: [
                "BulwarkCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "BulwarkCoreTests", dependencies: ["BulwarkCore", "BulwarkTesting"], swiftSettings: strict),
        .testTarget(
            name: "BulwarkTelemetryTests",
            dependencies: [
                "BulwarkTelemetry", "BulwarkCore", "BulwarkTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkResilienceTests",
            dependencies: [
                "BulwarkResilience", "BulwarkCore", "BulwarkTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkSecurityTests",
            dependencies: ["BulwarkSecurity", "BulwarkCore", "BulwarkTesting", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: strict + [.define("BULWARK_STEP_COUNT", .when(configuration: .debug))]
        ),
        .testTarget(
            name: "BulwarkStoreTests",
            dependencies: [
                "BulwarkStore", "BulwarkResilience", "BulwarkCore", "BulwarkTesting", "BulwarkSecurity", "BulwarkTelemetry",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkOpsTests",
            dependencies: ["BulwarkOps", "BulwarkCore", "BulwarkTelemetry", "BulwarkTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkHTTPTests",
            dependencies: [
                "BulwarkHTTP", "BulwarkCore", "BulwarkOps", "BulwarkTelemetry", "BulwarkTesting", "BulwarkResilience",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkHummingbirdTests",
            dependencies: [
                "BulwarkHummingbird", "BulwarkTesting", "BulwarkResilience",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                "BulwarkHTTP", "BulwarkOps", "BulwarkTelemetry", "BulwarkCore",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BulwarkGatewayTests",
            dependencies: [
                "BulwarkGateway", "BulwarkTesting", "BulwarkHTTP", "BulwarkCore", "BulwarkResilience",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                "BulwarkTelemetry", "BulwarkStore",
            ],
            swiftSettings: strict
        ),
    ]
)
