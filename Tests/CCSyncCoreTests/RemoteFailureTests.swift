@testable import CCSyncCore
import Testing

/// How a failed round trip is told: git's last lines as the façade classified them, told as which
/// remote, reached or not, why, and what to do.
struct RemoteFailureTests {
    @Test func aMissingRepositoryIsUnreachableAndNamesTheURLWithoutGitsBoilerplate() {
        let detail = GitRemoteError(kind: .unreachable,
                                    lines: ["Please make sure you have the correct access rights", "and the repository exists."])
        let failure = RemoteFailure(detail: detail, url: "/srv/sessions.git", retry: "git ccsync push")
        #expect(failure.kind == .unreachable)
        #expect(failure.description == "cannot reach origin (/srv/sessions.git) (your work is committed locally; "
                + "run 'git ccsync push' when the remote is back)")
    }

    @Test func aConnectionErrorKeepsGitsReason() {
        let failure = RemoteFailure(detail: GitRemoteError(kind: .unreachable, lines: ["unable to connect to 127.0.0.1:", "errno=Connection refused"]),
                                    url: "git://127.0.0.1:9/x.git", retry: "git ccsync pull")
        #expect(failure.summary == "cannot reach origin (git://127.0.0.1:9/x.git): unable to connect to 127.0.0.1:; errno=Connection refused")
    }

    @Test func aHookThatDeclinesIsARefusalInTheServersWords() {
        let stderr = "remote: quota exceeded        \nerror: failed to push some refs to '/srv/sessions.git'\n"
        let outcome = PushOutcome(ProcessRunner.Result(status: 1, stdout: [], stderr: Array(stderr.utf8)))
        guard case .refused(let detail) = outcome else {
            Issue.record("a push the server turned down, read as \(outcome)")
            return
        }
        let failure = RemoteFailure(detail: detail, url: "/srv/sessions.git", retry: "git ccsync update")
        #expect(failure.kind == .refused)
        #expect(failure.summary == "origin (/srv/sessions.git) refused the push: quota exceeded")
        #expect(failure.description.hasSuffix("(your work is committed locally; run 'git ccsync update' once the remote accepts it again)"))
    }

    @Test func onlyRoundTripErrorsAreRetold() {
        #expect(RemoteFailure(SyncError.mergeFailed("x"), url: "u", retry: "r") == nil)
        #expect(RemoteFailure(SyncError.remoteUnreachable("origin", detail: GitRemoteError(kind: .unreachable, lines: ["x"])), url: "u", retry: "r")?.reason == "x")
    }

    @Test func passwordsInTheURLAreNotPrinted() {
        #expect(RemoteFailure.withoutCredentials("https://ana:tok3n@example.com/a/b.git") == "https://ana@example.com/a/b.git")
        #expect(RemoteFailure.withoutCredentials("https://example.com/a@b.git") == "https://example.com/a@b.git")
        #expect(RemoteFailure.withoutCredentials("git@github.com:ana/s.git") == "git@github.com:ana/s.git")
    }
}
