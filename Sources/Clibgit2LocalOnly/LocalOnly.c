/*
 * libgit2 for local reads only, when it is linked statically (Package.swift does so where the static
 * archives are installed, as with Debian's libgit2-dev).
 *
 * git-ccsync uses libgit2 to read and write the local repository; every network operation (fetch,
 * push, clone, ls-remote) goes through the git command line, with git's own TLS, SSH and credential
 * helpers. These definitions take the place of libgit2's TLS stream (mbedTLS), SSH transport (libssh2)
 * and HTTP Negotiate authentication (GSSAPI), so the linker never pulls those parts of libgit2 in:
 *
 *   - start-up does no TLS set-up (seeding mbedTLS's entropy pool, loading the CA bundle), which cost
 *     several milliseconds in every process git starts for us (filter, hooks, merge driver);
 *   - libssh2, OpenSSL and Kerberos are not linked at all.
 *
 * Each of them fails with a clear libgit2 error should libgit2 ever be asked for a network
 * connection from this program: nothing is faked as a success, except the two start-up hooks that
 * have nothing to set up.
 */
#include <git2.h>
#include <git2/sys/transport.h>
#include <stddef.h>

static int network_unavailable(const char *what)
{
    git_error_set_str(GIT_ERROR_NET, what);
    return -1;
}

#define NO_NETWORK "git-ccsync's libgit2 reads the local repository only; network access goes through the git command"

/* streams/mbedtls.c */
int git_mbedtls_stream_global_init(void) { return 0; }

int git_mbedtls__set_cert_location(const char *file, const char *path)
{
    (void)file; (void)path;
    return network_unavailable(NO_NETWORK " (no TLS here)");
}

int git_mbedtls_stream_new(void **out, const char *host, const char *port)
{
    (void)host; (void)port;
    if (out) *out = NULL;
    return network_unavailable(NO_NETWORK " (no TLS here)");
}

int git_mbedtls_stream_wrap(void **out, void *in, const char *host)
{
    (void)in; (void)host;
    if (out) *out = NULL;
    return network_unavailable(NO_NETWORK " (no TLS here)");
}

/* transports/ssh.c */
int git_transport_ssh_global_init(void) { return 0; }

int git_smart_subtransport_ssh(git_smart_subtransport **out, git_transport *owner, void *param)
{
    (void)owner; (void)param;
    if (out) *out = NULL;
    return network_unavailable(NO_NETWORK " (no SSH here)");
}

int git_transport_ssh_with_paths(git_transport **out, git_remote *owner, void *payload)
{
    (void)owner; (void)payload;
    if (out) *out = NULL;
    return network_unavailable(NO_NETWORK " (no SSH here)");
}

/* transports/auth_negotiate.c */
int git_http_auth_negotiate(void **out, const void *url)
{
    (void)url;
    if (out) *out = NULL;
    return network_unavailable(NO_NETWORK " (no Negotiate authentication here)");
}
