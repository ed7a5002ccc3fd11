import Foundation
import Testing

/// A `ccsync.*` value that cannot be used is named by doctor: the unattended commands (the Claude
/// session keeper, the SessionStart hook) fall back to its default instead of stopping, so doctor is
/// where the user learns of it.
@Suite struct DoctorSettingsTests {
    @Test func doctorNamesABadValueAndHowToFixIt() throws {
        try Sandbox.with { sandbox in
            let world = try SyncWorld.bothInitialized(sandbox: sandbox)
            let a = world.a
            let before = try a.ccsyncResult(["doctor"])
            sandbox.check(before.stdoutText.contains("ok    settings: "), "doctor has no settings check:\n\(before)")

            try a.git("config", "ccsync.backupInterval", "soon")
            let doctor = try a.ccsyncResult(["doctor"])
            sandbox.check(doctor.status == 1, "doctor passed with a bad value:\n\(doctor)")
            sandbox.check(doctor.stdoutText.contains("FAIL  settings: ccsync.backupInterval must be a number of seconds, got 'soon'"),
                          "doctor does not name the bad value:\n\(doctor)")
            sandbox.check(doctor.stdoutText.contains("git config --unset ccsync.backupInterval"), "doctor gives no fix:\n\(doctor)")

            try a.git("config", "--unset", "ccsync.backupInterval")
            let after = try a.ccsyncResult(["doctor"])
            sandbox.check(after.stdoutText.contains("ok    settings: "), "the settings check still fails once unset:\n\(after)")
        }
    }
}
