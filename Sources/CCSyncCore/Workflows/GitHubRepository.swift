/// `init --github OWNER/REPO`: a private repository created with the GitHub CLI (`gh`), which also
/// sets git up to authenticate to GitHub with its login.
public struct GitHubRepository {
    public let runner: ProcessRunner
    /// The GitHub CLI: `gh`, found on this process's PATH, unless a path is given.
    public let gh: String
    /// Told before the repository is created (a round trip to GitHub).
    public var progress: (String) -> Void = { _ in }

    public init(runner: ProcessRunner, gh: String = "gh") {
        self.runner = runner
        self.gh = gh
    }

    /// The https URL of `spec` (OWNER/REPO) on GitHub, created private unless it exists.
    public func createPrivate(_ spec: String) throws -> String {
        let parts = spec.split(separator: "/")
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw WorkflowError("--github takes OWNER/REPO, got '\(spec)'")
        }
        guard let auth = try? runner.run(gh, ["auth", "status"]) else {
            throw WorkflowError("the GitHub CLI 'gh' is not installed (install it, run 'gh auth login', or use --remote URL)")
        }
        guard auth.succeeded else {
            throw WorkflowError("gh is not logged in to GitHub (run 'gh auth login', then init again)")
        }
        let view = try runner.run(gh, ["repo", "view", spec, "--json", "url"])
        if !view.succeeded {
            progress("creating the private repository \(spec)")
            let create = try runner.run(gh, ["repo", "create", spec, "--private",
                                                "--description", "Claude Code sessions (git-ccsync)"])
            guard create.succeeded else {
                throw WorkflowError("gh repo create \(spec) failed: \(create.errorOutput.split(separator: "\n").last ?? "")")
            }
        }
        _ = try? runner.run(gh, ["auth", "setup-git"])
        return "https://github.com/\(parts[0])/\(parts[1]).git"
    }
}
