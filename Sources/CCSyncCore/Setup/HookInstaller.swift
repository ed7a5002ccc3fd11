#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Installs our hooks into a working copy without clobbering anyone else's.
///
/// The hooks folder is what git itself uses (`git rev-parse --git-path hooks`, so `core.hooksPath` is
/// respected). A hook of ours (recognised by its marker line, any version) is replaced; a foreign hook
/// is moved to `<name>.pre-ccsync`, which ours runs first; if that name is taken too, we refuse.
public struct HookInstaller {
    public static let marker = "# git-ccsync hook:"
    public static let chainedSuffix = ".pre-ccsync"

    public let git: Git
    /// Absolute path of the git-ccsync binary the hooks should call.
    public let executable: String

    public init(git: Git, executable: String) {
        self.git = git
        self.executable = executable
    }

    public func hooksDirectory() throws -> String {
        try git.hooksDirectory()
    }

    public enum Status: Equatable { case installed, outdated, missing, foreign }

    public func status(of name: String) throws -> Status {
        let path = try hooksDirectory() + "/" + name
        guard let bytes = try? readFile(path) else { return .missing }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains(Self.marker) else { return .foreign }
        return text == expected(name) ? .installed : .outdated
    }

    func expected(_ name: String) -> String {
        (HookScripts.script(name) ?? "").replacing("@GIT_CCSYNC@", with: executable) + "\n"
    }

    /// Installs every hook; returns messages about foreign hooks that were chained.
    @discardableResult
    public func install() throws -> [String] {
        let dir = try hooksDirectory()
        try FileSystem.makeDirectories(dir)
        var notes: [String] = []
        for name in HookScripts.names {
            let path = dir + "/" + name
            if let bytes = try? readFile(path), !String(decoding: bytes, as: UTF8.self).contains(Self.marker) {
                let chained = path + Self.chainedSuffix
                guard !FileSystem.exists(chained) else {
                    throw SyncError.invalidArgument("\(path) is not a git-ccsync hook and \(chained) exists too "
                        + "(merge them by hand, then run 'git ccsync init' again)")
                }
                guard rename(path, chained) == 0 else {
                    throw FileIOError(path: path, operation: "moving the existing hook aside", errno: errno)
                }
                notes.append("kept your \(name) hook as \(name)\(Self.chainedSuffix); it still runs first")
            }
            try FileSystem.writeAtomically(path, Array(expected(name).utf8), mode: 0o755)
        }
        return notes
    }
}
