// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks for Bulwark's hot paths (ordo-one benchmark). A separate package so that
// `scripts/test` and CI do not build the benchmark toolchain. Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "BulwarkBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Bulwark", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkHTTP", package: "Bulwark"),
                .product(name: "BulwarkTelemetry", package: "Bulwark"),
                .product(name: "BulwarkGateway", package: "Bulwark"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Resilience",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkResilience", package: "Bulwark"),
            ],
            path: "Benchmarks/Resilience",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Timing",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkTelemetry", package: "Bulwark"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Benchmarks/Timing",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // JSON log line encode + write (null sink, /dev/null, rotating file).
        .executableTarget(
            name: "LoggingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkTelemetry", package: "Bulwark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Logging",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Lines/s of JSON access-style lines into a rotating file, for scripts/bench/logging-peers (structlog).
        .executableTarget(
            name: "logging-bench",
            dependencies: [
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkTelemetry", package: "Bulwark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/LoggingBench"
        ),
        // Plain timing loops for scripts/bench/resilience-peers, which runs the same work in Python.
        .executableTarget(
            name: "resilience-peers-swift",
            dependencies: [
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkResilience", package: "Bulwark"),
            ],
            path: "Sources/ResiliencePeers"
        ),
        // Injection screener against the dev corpus: detection per class, false positives, MB/s.
        .executableTarget(
            name: "screen-score",
            dependencies: [.product(name: "BulwarkSecurity", package: "Bulwark")],
            path: "Sources/ScreenScore"
        ),
        // Secret scanner against the dev corpus: recall, false positives, leaks, MB/s.
        .executableTarget(
            name: "secrets-score",
            dependencies: [.product(name: "BulwarkSecurity", package: "Bulwark")],
            path: "Sources/SecretsScore"
        ),
        // Keyed rate limiter: ns/op on one hot key and across 1M keys, RSS per tracked key.
        .executableTarget(
            name: "ratelimit-bench",
            dependencies: [.product(name: "BulwarkResilience", package: "Bulwark")],
            path: "Sources/RateLimitBench"
        ),
        // Plain timing loops for scripts/bench/ratelimit-peers, which runs the same work in Python (limits).
        .executableTarget(
            name: "ratelimit-peers-swift",
            dependencies: [.product(name: "BulwarkResilience", package: "Bulwark")],
            path: "Sources/RateLimitPeers"
        ),
        // Shared rate-limit decisions per second through PostgreSQL, exact and leased.
        .executableTarget(
            name: "ratelimit-pg-bench",
            dependencies: [
                .product(name: "BulwarkResilience", package: "Bulwark"),
                .product(name: "BulwarkStore", package: "Bulwark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/RateLimitPostgresBench"
        ),
        // Dataset validation: 10,000 records of a 6-field schema, parsed and validated.
        .executableTarget(
            name: "guardrails-bench",
            dependencies: [.product(name: "BulwarkSecurity", package: "Bulwark")],
            path: "Sources/GuardrailsBench"
        ),
        // Durable audit-trail appends per second with group commit.
        .executableTarget(
            name: "trail-bench",
            dependencies: [
                .product(name: "BulwarkCore", package: "Bulwark"),
                .product(name: "BulwarkStore", package: "Bulwark"),
                .product(name: "BulwarkTelemetry", package: "Bulwark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/TrailBench"
        ),
        // Screening and secret-scanning MB/s for scripts/bench/security-peers (libinjection, detect-secrets).
        .executableTarget(
            name: "security-peers-swift",
            dependencies: [.product(name: "BulwarkSecurity", package: "Bulwark")],
            path: "Sources/SecurityPeers"
        ),
    ]
)
