// swift-tools-version:6.1
import PackageDescription
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// libgit2 is linked statically where its archives are installed (Debian's libgit2-dev ships them):
/// git starts this program for every filter, hook and merge-driver call, and loading the shared
/// libgit2 with its twenty dependencies (mbedTLS, libssh2, OpenSSL, Kerberos...) took about 4 ms of
/// each start. Linked statically, only the parts we use come in: Clibgit2LocalOnly stands in for
/// libgit2's TLS, SSH and Negotiate code (the network is git's job here). Elsewhere (macOS, other
/// systems), or with CCSYNC_SHARED_LIBGIT2 set in the environment that evaluates this manifest, the
/// shared library is found through pkg-config as usual.
let staticArchives = ["libgit2.a", "libmbedcrypto.a", "libhttp_parser.a", "libpcre2-8.a", "libz.a"]
let staticLibgit2Directory = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
    .first { directory in staticArchives.allSatisfy { FileManager.default.fileExists(atPath: directory + "/" + $0) } }
let linkLibgit2Statically = staticLibgit2Directory != nil
    && FileManager.default.fileExists(atPath: "/usr/include/git2.h")
    && Context.environment["CCSYNC_SHARED_LIBGIT2"] == nil

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
        // AES-GCM-SIV (in _CryptoExtras), X25519, HKDF, ChaCha20-Poly1305: the encrypted repository form
        // and the age key files (see Sources/CCSyncCore/Encryption).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // Headers only: how libgit2 is linked is CCSyncCore's linker setting.
        .systemLibrary(
            name: "Clibgit2",
            pkgConfig: linkLibgit2Statically ? nil : "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "Clibgit2LocalOnly"),
        // Everything testable lives here; it knows nothing of the command line,
        // never reads the environment itself and never exits.
        .target(
            name: "CCSyncCore",
            dependencies: [
                "Clibgit2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ] + (linkLibgit2Statically ? ["Clibgit2LocalOnly"] : []),
            linkerSettings: linkLibgit2Statically
                ? staticArchives.map { .linkedLibrary(":" + $0) }
                : [.linkedLibrary("git2"), .linkedLibrary("z")]
        ),
        .executableTarget(
            name: "git-ccsync",
            dependencies: [
                "CCSyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Claude Code logs made up for the tests by a seeded generator (Benchmarks/run.sh compiles it too).
        .target(name: "SessionLogFixtures", path: "Tests/SessionLogFixtures"),
        .testTarget(
            name: "CCSyncCoreTests",
            dependencies: [
                "CCSyncCore",
                "SessionLogFixtures",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The command line's own logic, in-process: the fast dispatch against the parser.
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["git-ccsync"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CCSyncCore", "SessionLogFixtures"]
        ),
    ]
)
