/// The `ccsync-jsonl` merge driver on an encrypted repository: git hands it the three repository forms,
/// which are ciphertext. It decrypts them (for record identity), takes `JSONLMerge`'s union, and encrypts
/// the result, keeping ours' ciphertext for ours' lines, so the merge adds only theirs' new lines.
public enum EncryptedMerge {
    public static func merge(base: [UInt8]?, ours: [UInt8], theirs: [UInt8], path: String, cipher: LineCipher) throws -> [UInt8] {
        let oursLines = try cipher.decrypt(ours, path: path)
        let oursPlain = oursLines.plaintext
        let theirsPlain = try cipher.decrypt(theirs, path: path).plaintext
        let basePlain = try base.map { try cipher.decrypt($0, path: path).plaintext }
        let merged = JSONLMerge.merge(base: basePlain, ours: oursPlain, theirs: theirsPlain)
        if merged == oursPlain { return ours }
        if merged == theirsPlain { return theirs }
        var out: [UInt8] = []
        try cipher.encrypt(merged, path: path, keeping: oursLines, into: &out)
        return out
    }
}
