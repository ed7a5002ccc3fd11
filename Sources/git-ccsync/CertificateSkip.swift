/// Keeps libgit2's start-up from parsing the system's certificate bundle.
///
/// Debian's libgit2 is built on mbedTLS, and `git_libgit2_init` loads every certificate of
/// `/etc/ssl/certs/ca-certificates.crt` (base64-decoding and parsing ~150 of them): about 7 ms, more
/// than half of this program's start-up, paid by every filter, hook and merge-driver process git
/// starts. We use libgit2 only to read the local repository; every network operation goes through
/// the git CLI, which has its own TLS. So this executable defines the one mbedTLS function that loads
/// a certificate file, and the dynamic linker binds libgit2's call to it (an executable's symbols come
/// first). It reports a file error, which libgit2 treats as "no default certificates": should libgit2
/// ever open a TLS connection from this process, verification would fail closed, never pass.
///
/// With a libgit2 built on OpenSSL (other systems) nothing calls it, and nothing changes. Where libgit2
/// is linked statically (Package.swift), its TLS and SSH code is not linked at all and neither
/// definition here is called: they matter for the shared library only.
@_cdecl("mbedtls_x509_crt_parse_file")
public func skipCertificateFile(_ chain: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    -0x2900  // MBEDTLS_ERR_X509_FILE_IO_ERROR
}

/// The same for libssh2, which libgit2 initialises at start-up (and with it OpenSSL, which reads its
/// configuration file): libgit2's SSH transport is never used here, git's own ssh is. Reporting success
/// without doing anything is safe only because of that.
@_cdecl("libssh2_init")
public func skipSSHInitialisation(_ flags: Int32) -> Int32 {
    0
}
