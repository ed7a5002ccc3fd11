// The formats, with their exact shapes. Lengths and charsets follow the issuers' documented formats
// (and the rules gitleaks validates against real tokens). Only formats that a prefix identifies on its
// own are here: JWTs, Twilio's `SK` + hex, generic "password=" and bare hex or base64 strings are not,
// as ordinary logs are full of look-alikes.
extension SecretPattern {
    static let catalog: [SecretPattern] = {
        var all: [SecretPattern] = [
            SecretPattern(.privateKey, "-----BEGIN ", leading: .none, match: PrivateKeyBlock.match),
            // The example key id in AWS documentation ends in EXAMPLE; such ids are that example, not a key.
            .token(.awsAccessKeyID, "AKIA", .upperAlnum, 16...16, leading: .wordBase64, trailing: .wordBase64,
                   accept: { p, r in !hasPrefix(p, at: r.upperBound - 7, "EXAMPLE") }),
            .token(.awsAccessKeyID, "ASIA", .upperAlnum, 16...16, leading: .wordBase64, trailing: .wordBase64,
                   accept: { p, r in !hasPrefix(p, at: r.upperBound - 7, "EXAMPLE") }),
            .token(.gitHubFineGrainedToken, "github_pat_", .word, 82...82),
            SecretPattern(.gitLabToken, "glpat-", leading: .wordDash, match: gitLab),
            .token(.anthropicAPIKey, "sk-ant-api03-", .wordDash, 95...95, accept: endsWithAA),
            .token(.anthropicAdminKey, "sk-ant-admin01-", .wordDash, 95...95, accept: endsWithAA),
            // Claude's OAuth access and refresh tokens (CLAUDE_CODE_OAUTH_TOKEN); no published length.
            .token(.anthropicOAuthToken, "sk-ant-oat01-", .wordDash, 40...400),
            .token(.anthropicOAuthToken, "sk-ant-ort01-", .wordDash, 40...400),
            SecretPattern(.openAIAPIKey, "sk-proj-", leading: .wordDash, match: openAIProject),
            SecretPattern(.openAIAPIKey, "sk-svcacct-", leading: .wordDash, match: openAIProject),
            SecretPattern(.openAIAPIKey, "sk-admin-", leading: .wordDash, match: openAIProject),
            SecretPattern(.openAIAPIKey, "sk-", leading: .wordDash, match: openAILegacy),
            .token(.stripeKey, "sk_live_", .alnum, 24...255),
            .token(.stripeKey, "rk_live_", .alnum, 24...255),
            SecretPattern(.slackToken, "xapp-", leading: .wordDash, match: slackAppToken),
            SecretPattern(.slackWebhook, "hooks.slack.com/services/", leading: .word | ByteClass(plus: "."),
                          match: slackWebhook),
            .token(.googleAPIKey, "AIza", .wordDash, 35...35, leading: .wordBase64, trailing: .wordBase64),
            .token(.npmToken, "npm_", .alnum, 36...36),
            .token(.pyPIToken, "pypi-AgEIcHlwaS5vcmc", .wordDash, 50...1000),
            SecretPattern(.sendGridKey, "SG.", leading: .wordDash, match: sendGrid),
            .token(.huggingFaceToken, "hf_", .letters, 34...34),
            .token(.ageSecretKey, "AGE-SECRET-KEY-1", .bech32Upper, 58...58, leading: .wordDash),
            .token(.groqKey, "gsk_", .alnum, 52...52),
            .token(.linearKey, "lin_api_", .alnum, 40...40),
            SecretPattern(.postmanKey, "PMAK-", leading: .wordDash, match: postman),
            .token(.dopplerToken, "dp.pt.", .alnum, 43...43, leading: .word | ByteClass(plus: ".")),
            .token(.vaultToken, "hvs.", .wordDash, 90...120, leading: .word | ByteClass(plus: ".")),
            .token(.pulumiToken, "pul-", .lowerHex, 40...40, leading: .wordDash),
        ]
        for kind in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            all.append(.token(.gitHubToken, kind, .alnum, 36...36))
        }
        // Bot, user, workspace, refresh, legacy and configuration tokens share one shape.
        for letter in ["a", "b", "e", "o", "p", "r", "s"] {
            all.append(SecretPattern(.slackToken, "xox\(letter)-", leading: .wordDash, match: slackToken))
        }
        for kind in ["dop_v1_", "doo_v1_", "dor_v1_"] {
            all.append(.token(.digitalOceanToken, kind, .lowerHex, 64...64))
        }
        for kind in ["shpat_", "shpca_", "shppa_", "shpss_"] {
            all.append(.token(.shopifyToken, kind, .hex, 32...32))
        }
        return all
    }()

    @Sendable static func endsWithAA(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        hasPrefix(p, at: r.upperBound - 2, "AA")
    }

    /// `glpat-` + 20 of [A-Za-z0-9_-], or the routable form: 27 to 300 of them, `.`, 9 of [0-9a-z].
    @Sendable static func gitLab(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let end = ByteClass.wordDash.runEnd(p, from: body, limit: 301)
        let length = end - body
        if length == 20 {
            return ByteClass.distinctCount(p, body..<end) >= 5 ? start..<end : nil
        }
        guard (27...300).contains(length), end < p.count, p[end] == UInt8(ascii: ".") else { return nil }
        let tail = ByteClass.lowerAlnum.runEnd(p, from: end + 1, limit: 10)
        guard tail - (end + 1) == 9, tail == p.count || !ByteClass.wordDash.contains(p[tail]) else { return nil }
        return ByteClass.distinctCount(p, body..<end) >= 8 ? start..<tail : nil
    }

    /// `sk-proj-`, `sk-svcacct-`, `sk-admin-`: 58 or 74 of [A-Za-z0-9_-], `T3BlbkFJ`, 58 or 74 more.
    @Sendable static func openAIProject(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let end = ByteClass.wordDash.runEnd(p, from: body, limit: 157)
        let length = end - body
        for head in [58, 74] {
            let tail = length - head - 8
            if tail == 58 || tail == 74, hasPrefix(p, at: body + head, "T3BlbkFJ") { return start..<end }
        }
        return nil
    }

    /// Legacy `sk-` keys: 20 base62, `T3BlbkFJ` (base64 of "OpenAI"), 20 base62.
    @Sendable static func openAILegacy(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let end = ByteClass.alnum.runEnd(p, from: body, limit: 49)
        guard end - body == 48, end == p.count || !ByteClass.wordDash.contains(p[end]),
              hasPrefix(p, at: body + 20, "T3BlbkFJ") else { return nil }
        return start..<end
    }

    /// `xox?-` then dash-separated numeric segments (at least one of 8+ digits, Slack's team and user
    /// ids) and a final alphanumeric secret of 10+ characters; or one long secret after a short number
    /// (configuration tokens, `xoxp-1-` + 160 characters). `xoxb-your-token`, `xoxp-1234-abcd` do not.
    @Sendable static func slackToken(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        guard let parts = segments(p, from: body, limit: 300), parts.count >= 2, let last = parts.last else { return nil }
        var longNumber = false
        for part in parts.dropLast() {
            guard isDigits(p, part) else { return nil }
            if part.count >= 8 { longNumber = true }
        }
        guard last.count >= 10, longNumber || last.count >= 100,
              ByteClass.distinctCount(p, last) >= 5 else { return nil }
        return start..<last.upperBound
    }

    /// `xapp-1-A0123456789-1234567890123-<64 hex>`.
    @Sendable static func slackAppToken(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        guard let parts = segments(p, from: body, limit: 300), parts.count == 4,
              isDigits(p, parts[0]), parts[0].count <= 2, isDigits(p, parts[2]), parts[2].count >= 8,
              parts[1].count >= 8, parts[3].count >= 32, ByteClass.distinctCount(p, parts[3]) >= 8 else { return nil }
        return start..<parts[3].upperBound
    }

    /// `hooks.slack.com/services/T…/B…/<secret>`, with the `https://` before it when there is one.
    @Sendable static func slackWebhook(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let n = p.count
        func id(_ letter: UInt8, at k: Int) -> Int? {
            guard k < n, p[k] == letter else { return nil }
            let end = ByteClass.upperAlnum.runEnd(p, from: k + 1, limit: 13)
            guard (8...12).contains(end - k - 1), end < n, p[end] == UInt8(ascii: "/") else { return nil }
            return end + 1
        }
        guard let afterTeam = id(UInt8(ascii: "T"), at: body), let afterBot = id(UInt8(ascii: "B"), at: afterTeam) else {
            return nil
        }
        let end = ByteClass.alnum.runEnd(p, from: afterBot, limit: 35)
        guard (20...34).contains(end - afterBot), end == n || !ByteClass.word.contains(p[end]),
              ByteClass.distinctCount(p, afterBot..<end) >= 6 else { return nil }
        if start >= 8, hasPrefix(p, at: start - 8, "https://") { return (start - 8)..<end }
        if start >= 7, hasPrefix(p, at: start - 7, "http://") { return (start - 7)..<end }
        return start..<end
    }

    /// `SG.` + 22 + `.` + 43, both parts of [A-Za-z0-9_-].
    @Sendable static func sendGrid(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let dot = ByteClass.wordDash.runEnd(p, from: body, limit: 23)
        guard dot - body == 22, dot < p.count, p[dot] == UInt8(ascii: ".") else { return nil }
        let end = ByteClass.wordDash.runEnd(p, from: dot + 1, limit: 44)
        guard end - dot - 1 == 43, end == p.count || !ByteClass.wordDash.contains(p[end]),
              ByteClass.distinctCount(p, body..<dot) >= 5, ByteClass.distinctCount(p, (dot + 1)..<end) >= 8 else {
            return nil
        }
        return start..<end
    }

    /// `PMAK-` + 24 hex + `-` + 34 hex.
    @Sendable static func postman(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ body: Int) -> Range<Int>? {
        let dash = ByteClass.hex.runEnd(p, from: body, limit: 25)
        guard dash - body == 24, dash < p.count, p[dash] == UInt8(ascii: "-") else { return nil }
        let end = ByteClass.hex.runEnd(p, from: dash + 1, limit: 35)
        guard end - dash - 1 == 34, end == p.count || !ByteClass.wordDash.contains(p[end]),
              ByteClass.distinctCount(p, body..<end) >= 8 else { return nil }
        return start..<end
    }

    /// The dash-separated parts of the run of [A-Za-z0-9-] at `body`, trailing dashes left out; nil when
    /// the run is longer than `limit` or has an empty part.
    static func segments(_ p: UnsafeBufferPointer<UInt8>, from body: Int, limit: Int) -> [Range<Int>]? {
        var end = ByteClass.alnumDash.runEnd(p, from: body, limit: limit)
        guard end - body < limit, end == p.count || p[end] != UInt8(ascii: "_") else { return nil }
        while end > body, p[end - 1] == UInt8(ascii: "-") { end -= 1 }
        var parts: [Range<Int>] = []
        var partStart = body
        for k in body..<end where p[k] == UInt8(ascii: "-") {
            guard k > partStart else { return nil }
            parts.append(partStart..<k)
            partStart = k + 1
        }
        guard end > partStart else { return nil }
        parts.append(partStart..<end)
        return parts
    }

    static func isDigits(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.allSatisfy { ByteClass.digits.contains(p[$0]) }
    }
}
