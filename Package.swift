// swift-tools-version:6.0
import PackageDescription

// Release builds of pcmock's own modules put each function in its own section, and lld places
// the functions start-up runs side by side (Sources/pcmock/startup.order, written by
// scripts/startup-order): spread over 15 MB of text, the start-up code made most of the binary
// resident through the kernel's 64 KB read-around; packed, far less. lld also packs the ~41,000
// relative relocations (RELR, glibc 2.36+) that the dynamic loader otherwise read one by one.
let functionSections: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))]
/// The manifest's directory: the linker is given the order file by absolute path.
let packageDirectory = String(#filePath.dropLast("Package.swift".count))

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
        .target(name: "HTTPServer", dependencies: ["COpenSSL", "CEventLoop"], swiftSettings: functionSections),
        .target(name: "EntityStore", dependencies: ["CSQLite"], swiftSettings: functionSections),
        .target(name: "OData", swiftSettings: functionSections),
        .target(name: "PrismAPI", dependencies: ["OData"], swiftSettings: functionSections),
        .target(
            name: "PrismMock",
            dependencies: ["HTTPServer", "EntityStore", "OData", "PrismAPI"],
            swiftSettings: functionSections
        ),
        .executableTarget(
            name: "pcmock",
            dependencies: [
                "PrismMock",
                "HTTPServer",
                "COpenSSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["startup.order"],
            swiftSettings: functionSections,
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xlinker", "--symbol-ordering-file=\(packageDirectory)Sources/pcmock/startup.order",
                        "-Xlinker", "--no-warn-symbol-ordering",
                    ],
                    .when(platforms: [.linux], configuration: .release))
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
        // The executable's own code (`serve`'s direct option reading against swift-argument-parser's).
        .testTarget(name: "pcmockTests", dependencies: ["pcmock"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PrismMock", "HTTPServer", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
