/// The one rule by which git-ccsync reads a git config value in process (see `Settings`): git's
/// command-line config passed in the environment, then the repository's (libgit2: local, global,
/// system), then the file `GIT_CONFIG_GLOBAL` names.
struct ConfigLookup {
    let repository: GitRepository?
    let environment: [String: String]

    func value(_ key: String) -> String? {
        values([key])[key]
    }

    /// The values of `keys` that are set anywhere: each source read once for all of them.
    func values(_ keys: [String]) -> [String: String] {
        var found: [String: String] = [:]
        var missing = keys
        if environment["GIT_CONFIG_PARAMETERS"] != nil || environment["GIT_CONFIG_COUNT"] != nil {
            for key in keys { found[key] = Self.commandLineValue(key, environment: environment) }
            missing = keys.filter { found[$0] == nil }
        }
        if let repository, !missing.isEmpty {
            found.merge((try? repository.configStrings(missing)) ?? [:]) { first, _ in first }
            missing = missing.filter { found[$0] == nil }
        }
        if let global = environment["GIT_CONFIG_GLOBAL"], !missing.isEmpty {
            found.merge(GitRepository.configStrings(missing, inFile: global)) { first, _ in first }
        }
        return found
    }

    /// The last value for `key` among `GIT_CONFIG_PARAMETERS` (what `git -c key=value` hands to the
    /// filters and hooks it runs) and `GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`. Section and variable names
    /// compare without case, as git's do.
    static func commandLineValue(_ key: String, environment: [String: String]) -> String? {
        let wanted = key.lowercased()
        var found: String?
        if let parameters = environment["GIT_CONFIG_PARAMETERS"] {
            for (name, value) in parse(parameters) where name.lowercased() == wanted { found = value }
        }
        if let count = environment["GIT_CONFIG_COUNT"].flatMap({ Int($0) }), count > 0 {
            for n in 0..<count where environment["GIT_CONFIG_KEY_\(n)"]?.lowercased() == wanted {
                found = environment["GIT_CONFIG_VALUE_\(n)"] ?? ""
            }
        }
        return found
    }

    /// `GIT_CONFIG_PARAMETERS`: shell-quoted entries separated by spaces, each `'key'='value'` (git
    /// 2.31 on) or `'key=value'`.
    static func parse(_ text: String) -> [(String, String)] {
        var entries: [(String, String)] = []
        var current = ""
        var key: String?
        var quoted = false
        var hasEntry = false
        var chars = text.makeIterator()
        func finish() {
            guard hasEntry else { return }
            if let key {
                entries.append((key, current))
            } else if let eq = current.firstIndex(of: "=") {
                entries.append((String(current[..<eq]), String(current[current.index(after: eq)...])))
            } else {
                entries.append((current, "true"))
            }
            current = ""
            key = nil
            hasEntry = false
        }
        while let c = chars.next() {
            if quoted {
                if c == "'" { quoted = false } else { current.append(c) }
                continue
            }
            switch c {
            case "'": quoted = true; hasEntry = true
            case "\\": if let next = chars.next() { current.append(next); hasEntry = true }
            case "=" where key == nil: key = current; current = ""; hasEntry = true
            case " ": finish()
            default: current.append(c); hasEntry = true
            }
        }
        finish()
        return entries
    }
}
