// swift-tools-version:6.2
import PackageDescription

// Roost: a distributed cross-hardware benchmarking farm for ONNX models.
//
// The module graph follows the data path: model → compile → artifact → agent →
// harness → result row → report. The agent side (RoostAgent and below) must not
// depend on the server stack (Hummingbird, PostgresNIO) so it can be built small
// and cross-built for ARM boards; the `roost-agent` product proves that.

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "roost",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roost", targets: ["roost"]),
        .executable(name: "roost-agent", targets: ["roost-agent"]),
        .executable(name: "roost-conformance", targets: ["roost-conformance"]),
        .executable(name: "roost-bench-scheduler", targets: ["roost-bench-scheduler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.28.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        // Already in the graph (Hummingbird, PostgresNIO); named for the load benchmark's HTTP client.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        // Scheduler-only: `/metrics` in the Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // HTTPS for agents and the CLI with a private CA (URLSession on Linux cannot be
        // given a CA file); on NIO and NIOSSL, already in the graph, no server stack.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
    ],
    targets: [
        // MARK: shared vocabulary
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .target(
            name: "RoostCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),

        // MARK: model → compile → artifact → runtime
        .target(
            name: "RoostONNX",
            dependencies: ["RoostCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/README.md"],
            swiftSettings: strict
        ),
        .target(name: "RoostCompiler", dependencies: ["RoostCore", "RoostONNX", "CRoostKernels"], swiftSettings: strict),
        // Roost's own CPU kernels (packed GEMM, thread pool). Optimized in every build
        // configuration: debug tests run real models through them. No -march: each
        // vector routine names its ISA and the plan picks one from the probed target.
        .target(name: "CRoostKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "RoostRuntime", dependencies: ["RoostCore", "COpenBLAS", "CRoostKernels"], swiftSettings: strict),
        .target(name: "RoostBench", dependencies: ["RoostCore", "RoostRuntime", "RoostProbe"], swiftSettings: strict),
        // Runs the ONNX backend node tests (scripts/onnx-node-tests.sh) through the compiler and runtime.
        .target(
            name: "RoostConformance",
            dependencies: ["RoostCore", "RoostONNX", "RoostCompiler", "RoostRuntime"],
            swiftSettings: strict
        ),

        // MARK: agent side (no server stack below this line)
        .target(name: "RoostProbe", dependencies: ["RoostCore"], swiftSettings: strict),
        .target(
            name: "RoostClient",
            dependencies: [
                "RoostCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // Offline bundles: the container file, its manifest and the sealed results file.
        .target(
            name: "RoostBundle",
            dependencies: ["RoostCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "RoostAgent",
            dependencies: [
                "RoostCore", "RoostProbe", "RoostBench", "RoostRuntime", "RoostClient", "RoostBundle",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RoostAgentCLI",
            dependencies: [
                "RoostAgent", "RoostProbe", "RoostBench", "RoostRuntime", "RoostClient", "RoostBundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: server side
        .target(
            name: "RoostStore",
            dependencies: [
                "RoostCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RoostScheduler",
            dependencies: [
                "RoostCore", "RoostStore", "RoostCompiler", "RoostRuntime", "RoostReport", "RoostBundle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(name: "RoostReport", dependencies: ["RoostCore"], swiftSettings: strict),

        // MARK: executables
        .executableTarget(
            name: "roost",
            dependencies: [
                "RoostCore", "RoostONNX", "RoostCompiler", "RoostRuntime", "RoostBench",
                "RoostAgent", "RoostAgentCLI", "RoostClient", "RoostStore", "RoostScheduler", "RoostReport", "RoostBundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // `make bench-scheduler`: simulated agents long-poll a real scheduler process.
        .executableTarget(
            name: "roost-bench-scheduler",
            dependencies: [
                "RoostCore", "RoostStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/SchedulerLoad",
            swiftSettings: strict
        ),
        // `make conformance`: the node tests, guarded by Tests/Conformance/expected-pass.txt.
        .executableTarget(
            name: "roost-conformance",
            dependencies: [
                "RoostConformance", "RoostCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "roost-agent",
            dependencies: [
                "RoostAgentCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: tests mirror the modules
        .target(name: "RoostTestSupport", dependencies: ["RoostCore"], path: "Tests/RoostTestSupport"),
        .target(
            name: "RoostTestDatabase",
            dependencies: ["RoostCore", "RoostStore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/RoostTestDatabase"
        ),
        .testTarget(name: "RoostCoreTests", dependencies: ["RoostCore"]),
        .testTarget(name: "RoostONNXTests", dependencies: ["RoostONNX", "RoostCore", "RoostTestSupport"]),
        .testTarget(name: "RoostCompilerTests", dependencies: ["RoostCompiler", "RoostRuntime", "RoostONNX", "RoostCore", "RoostTestSupport"]),
        .testTarget(name: "RoostRuntimeTests", dependencies: ["RoostRuntime", "CRoostKernels", "RoostCompiler", "RoostONNX", "RoostCore", "RoostTestSupport"]),
        .testTarget(name: "RoostConformanceTests", dependencies: ["RoostConformance", "RoostONNX", "RoostCore", "RoostTestSupport"]),
        .testTarget(name: "RoostBenchTests", dependencies: ["RoostBench", "RoostCompiler", "RoostONNX", "RoostRuntime", "RoostCore"]),
        .testTarget(name: "RoostProbeTests", dependencies: ["RoostProbe", "RoostCore"]),
        .testTarget(name: "RoostClientTests", dependencies: [
            "RoostClient", "RoostCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "RoostStoreTests", dependencies: ["RoostStore", "RoostCore", "RoostTestSupport", "RoostTestDatabase"]),
        .testTarget(name: "RoostReportTests", dependencies: ["RoostReport", "RoostCore"]),
        .testTarget(name: "IntegrationTests", dependencies: ["RoostCore", "RoostONNX", "RoostClient", "RoostStore", "RoostBundle", "RoostTestSupport", "RoostTestDatabase"]),
        .testTarget(name: "RoostBundleTests", dependencies: ["RoostBundle", "RoostCore"]),
        .testTarget(name: "RoostAgentTests", dependencies: ["RoostAgent", "RoostBench", "RoostCore", "RoostCompiler", "RoostONNX", "RoostRuntime", "RoostProbe", "RoostTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "RoostSchedulerTests", dependencies: ["RoostScheduler", "RoostStore", "RoostCore", "RoostTestDatabase"]),
    ]
)
