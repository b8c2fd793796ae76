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
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Domain rules: money, codes, policy packs, compliance, file formats. No I/O.
        // Its data tables (`Data/*.csv`: the 832 export's header aliases…) are embedded.
        .target(name: "SetasideCore", exclude: ["Data"], plugins: ["EmbedData"]),
        // Everything that talks to PostgreSQL: migrations, imports, report queries.
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
        // libxlsxwriter (Debian's libxlsxwriter-dev), which writes xlsx workbooks.
        .systemLibrary(
            name: "CXlsxWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        // libfreexl (Debian's libfreexl-dev), which reads old xls workbooks.
        .systemLibrary(name: "CFreeXL", pkgConfig: "freexl", providers: [.apt(["libfreexl-dev"])]),
        // Files the offices exchange: workbooks written with libxlsxwriter, folders and
        // zips of CSV sheets (the sheets' contents come from the core); order exports read
        // from xlsx (streamed XML) and xls (libfreexl).
        .target(
            name: "SetasideFiles",
            dependencies: ["SetasideCore", "CXlsxWriter", "CFreeXL", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The embedded PostgreSQL cluster under `.setaside/` (process management), and
        // how a command finds its database; used by the command line only.
        .target(name: "SetasideEmbedded", dependencies: ["SetasideStore", .product(name: "Logging", package: "swift-log")]),
        // Every operation (record, reverse, import, declare, find, sample, report, …): what
        // the command line, the API and the pages call. Decides with the core, keeps with
        // the store; no SQL and no HTTP here.
        .target(
            name: "SetasideOperations",
            dependencies: [
                "SetasideCore",
                "SetasideStore",
                "SetasideFiles",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API (routes, authentication, problem+json errors) and the web pages
        // (`Pages/`: Mustache templates, the stylesheet and the language catalogues, embedded).
        .target(
            name: "SetasideServer",
            dependencies: [
                "SetasideCore",
                "SetasideOperations",
                "SetasideStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Pages/Templates", "Pages/Assets", "Pages/Catalogue"],
            plugins: ["EmbedData"]
        ),
        // The command-line tool: argument parsing and output only.
        .executableTarget(
            name: "setaside",
            dependencies: [
                "SetasideCore",
                "SetasideStore",
                "SetasideEmbedded",
                "SetasideOperations",
                "SetasideServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Build tool that turns `sql/*.sql` into Swift string literals, so the binary
        // carries its migrations and works with no checkout beside it.
        .executableTarget(name: "EmbedSQLTool"),
        .plugin(name: "EmbedSQL", capability: .buildTool(), dependencies: ["EmbedSQLTool"]),
        .plugin(name: "EmbedData", capability: .buildTool(), dependencies: ["EmbedSQLTool"]),

        .testTarget(name: "SetasideCoreTests", dependencies: ["SetasideCore"]),
        // Server parts that need no database.
        .testTarget(
            name: "SetasideServerTests",
            dependencies: [
                "SetasideServer",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // Operations' parts that need no database (caches, the login throttle).
        .testTarget(name: "SetasideOperationsTests", dependencies: ["SetasideOperations"]),
        .testTarget(
            name: "SetasideIntegrationTests",
            dependencies: [
                "SetasideCore", "SetasideStore", "SetasideEmbedded", "SetasideOperations", "SetasideServer", "setaside",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
