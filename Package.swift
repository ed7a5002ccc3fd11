// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "git-ccsync",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "git-ccsync", targets: ["git-ccsync"]),
        .library(name: "CCSyncCore", targets: ["CCSyncCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // Everything testable lives here; it knows nothing of the command line,
        // never reads the environment itself and never exits.
        .target(
            name: "CCSyncCore",
            dependencies: ["Clibgit2"]
        ),
        .executableTarget(
            name: "git-ccsync",
            dependencies: [
                "CCSyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CCSyncCoreTests",
            dependencies: [
                "CCSyncCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CCSyncCore"]
        ),
    ]
)
