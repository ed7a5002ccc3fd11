/// Trimming of the blanks around a field of git's or our own line formats. The text is ASCII-framed
/// (git output, lock records, `.ccsync/machines/<id>`), so blanks are ASCII: no locale, no Unicode
/// tables, and no Foundation (which this program does not link: it costs every process git starts
/// for us milliseconds of start-up).
extension StringProtocol {
    /// Without leading and trailing spaces, tabs, newlines and carriage returns.
    public var trimmed: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
