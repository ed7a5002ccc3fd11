/// Secret findings of blobs whose whole content was scanned as it was staged, by blob id.
///
/// A first sync stages hundreds of megabytes straight into a pack; the secret guard would then read
/// every blob back out of it (inflating it all again) to scan lines that were in memory a moment
/// before. Staging scans them there instead and leaves the findings here; the guard takes a new file's
/// findings from here when its blob id is known. Keyed by content, so a merge in between cannot make
/// an entry wrong. Only for unencrypted repositories: the guard scans an encrypted blob's plaintext.
public final class ScannedBlobs {
    public private(set) var findings: [String: [SecretFinding]] = [:]

    public init() {}

    func record(_ found: [SecretFinding], blobID: String) {
        findings[blobID] = found
    }

    /// What the guard finds in these bytes as a new file's added lines (it ends them with a newline).
    static func scan(_ content: [UInt8]) -> [SecretFinding] {
        content.isEmpty || content.last == 0x0A ? SecretScanner.scan(content) : SecretScanner.scan(content + [0x0A])
    }
}
