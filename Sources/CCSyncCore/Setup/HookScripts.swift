/// The hook scripts `git ccsync init` installs: the same text as the files in `hooks/` at the top of the
/// repository (a test keeps them equal), embedded so that an installed binary needs no data files.
/// `@GIT_CCSYNC@` is replaced by the absolute path of the installing binary.
public enum HookScripts {
    public static let names = ["pre-push", "post-merge", "post-checkout", "post-rewrite"]

    public static func script(_ name: String) -> String? {
        switch name {
        case "pre-push": return #"""
#!/bin/sh
# git-ccsync hook: pre-push (installed by 'git ccsync init'; run it again to update)
# Checks a plain 'git push' before it leaves this machine (GIT_CCSYNC_SKIP_LOCKS=1 skips the lock check).
# A hook that was here before git-ccsync was installed is kept as pre-push.pre-ccsync and runs first.
ccsync='@GIT_CCSYNC@'
[ -x "$ccsync" ] || ccsync=git-ccsync
input=$(cat)
if [ -x "$0.pre-ccsync" ]; then printf '%s\n' "$input" | "$0.pre-ccsync" "$@" || exit $?; fi
printf '%s\n' "$input" | exec "$ccsync" hook pre-push "$@"
"""#
        case "post-merge": return #"""
#!/bin/sh
# git-ccsync hook: post-merge (installed by 'git ccsync init'; run it again to update)
# After a plain 'git pull' or 'git merge', writes the sessions it brought into Claude's store.
# A hook that was here before git-ccsync was installed is kept as post-merge.pre-ccsync and runs first.
ccsync='@GIT_CCSYNC@'
[ -x "$ccsync" ] || ccsync=git-ccsync
if [ -x "$0.pre-ccsync" ]; then "$0.pre-ccsync" "$@" || exit $?; fi
exec "$ccsync" hook post-merge "$@"
"""#
        case "post-checkout": return #"""
#!/bin/sh
# git-ccsync hook: post-checkout (installed by 'git ccsync init'; run it again to update)
# After a branch checkout, writes the checked-out sessions into Claude's store.
# A hook that was here before git-ccsync was installed is kept as post-checkout.pre-ccsync and runs first.
ccsync='@GIT_CCSYNC@'
[ -x "$ccsync" ] || ccsync=git-ccsync
if [ -x "$0.pre-ccsync" ]; then "$0.pre-ccsync" "$@" || exit $?; fi
exec "$ccsync" hook post-checkout "$@"
"""#
        case "post-rewrite": return #"""
#!/bin/sh
# git-ccsync hook: post-rewrite (installed by 'git ccsync init'; run it again to update)
# After 'git pull --rebase' or 'git rebase', writes the rewritten sessions into Claude's store.
# A hook that was here before git-ccsync was installed is kept as post-rewrite.pre-ccsync and runs first.
ccsync='@GIT_CCSYNC@'
[ -x "$ccsync" ] || ccsync=git-ccsync
input=$(cat)
if [ -x "$0.pre-ccsync" ]; then printf '%s\n' "$input" | "$0.pre-ccsync" "$@" || exit $?; fi
printf '%s\n' "$input" | exec "$ccsync" hook post-rewrite "$@"
"""#
        default: return nil
        }
    }
}
