// swift-tools-version:6.0
import PackageDescription

// Layers, top to bottom (imports point down only); see DESIGN.md.
let package = Package(
    name: "pcmock",
    products: [
        .executable(name: "pcmock", targets: ["pcmock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // OpenSSL's headers, and its functions resolved from libssl.so.3 on first use (libssl-dev
        // to build, libssl3 to serve https).
        // DWARF 4 like the Swift objects: valgrind 3.19 (Debian 12) cannot read clang's default
        // DWARF 5 and refuses to run the binary at all.
        .target(name: "COpenSSL", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // epoll, eventfd and accept4, which Swift's Glibc module lacks.
        .systemLibrary(name: "CEventLoop", path: "Sources/CEventLoop"),
        .target(name: "HTTPServer", dependencies: ["COpenSSL", "CEventLoop"]),
        .target(name: "EntityStore", dependencies: ["CSQLite"]),
        .target(name: "OData"),
        .target(name: "PrismAPI", dependencies: ["OData"]),
        .target(
            name: "PrismMock",
            dependencies: ["HTTPServer", "EntityStore", "OData", "PrismAPI"]
        ),
        .executableTarget(
            name: "pcmock",
            dependencies: [
                "PrismMock",
                "HTTPServer",
                "COpenSSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "store-bench", dependencies: ["EntityStore"], path: "Benchmarks/StoreBench"),
        .executableTarget(
            name: "odata-bench", dependencies: ["OData", "EntityStore", "CSQLite"], path: "Benchmarks/ODataBench"),
        .executableTarget(
            name: "task-bench", dependencies: ["PrismMock", "PrismAPI", "HTTPServer"], path: "Benchmarks/TaskBench"),
        .target(name: "TestSupport", dependencies: ["HTTPServer", "COpenSSL"], path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "EntityStoreTests", dependencies: ["EntityStore", "CSQLite"]),
        .testTarget(name: "ODataTests", dependencies: ["OData", "CSQLite", "EntityStore"]),
        .testTarget(name: "PrismAPITests", dependencies: ["PrismAPI"]),
        .testTarget(name: "PrismMockTests", dependencies: ["PrismMock", "HTTPServer"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PrismMock", "HTTPServer", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
