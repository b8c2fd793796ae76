// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "setaside",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "setaside", targets: ["setaside"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Domain rules: money, codes, policy packs, compliance, file formats. No I/O.
        .target(name: "SetasideCore"),
        // Everything that talks to PostgreSQL: migrations, imports, report queries,
        // and the embedded cluster under `.setaside/`.
        .target(
            name: "SetasideStore",
            dependencies: [
                "SetasideCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedSQL"]
        ),
        // The command-line tool: argument parsing and output only.
        .executableTarget(
            name: "setaside",
            dependencies: [
                "SetasideCore",
                "SetasideStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Build tool that turns `sql/*.sql` into Swift string literals, so the binary
        // carries its migrations and works with no checkout beside it.
        .executableTarget(name: "EmbedSQLTool"),
        .plugin(name: "EmbedSQL", capability: .buildTool(), dependencies: ["EmbedSQLTool"]),

        .testTarget(name: "SetasideCoreTests", dependencies: ["SetasideCore"]),
        .testTarget(
            name: "SetasideIntegrationTests",
            dependencies: [
                "SetasideCore", "SetasideStore", "setaside",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ]
)
