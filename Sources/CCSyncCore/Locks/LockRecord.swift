#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a lock ref's commit records, in its message:
///
/// ```
/// ccsync lock 1af7fc5e-8455-4414-9ccd-011d40f70b2a
///
/// holder: macbook
/// acquired: 2026-11-30T10:00:00Z
/// expires: 2026-11-30T10:10:00Z
/// state: held
/// ```
public struct LockRecord: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case held, released }

    public let session: String
    public let holder: String
    public let acquired: Date
    public let expires: Date
    public let state: State

    public init(session: String, holder: String, acquired: Date, expires: Date, state: State = .held) {
        self.session = session
        self.holder = holder
        self.acquired = acquired
        self.expires = expires
        self.state = state
    }

    /// Whether another machine may take it without asking: released, or past its expiry.
    public func isFree(at now: Date) -> Bool { state == .released || expires <= now }

    public func isHeld(by machine: MachineID) -> Bool {
        (try? MachineID(holder)).map { $0 == machine } ?? false
    }

    public var message: String {
        """
        ccsync lock \(session)

        holder: \(holder)
        acquired: \(Self.format(acquired))
        expires: \(Self.format(expires))
        state: \(state.rawValue)

        """
    }

    /// Parses a lock commit's message; nil when it is not one (a foreign ref is never trusted).
    public init?(message: String) {
        var fields: [String: String] = [:]
        var session: String?
        for line in message.split(separator: "\n") {
            if line.hasPrefix("ccsync lock ") { session = String(line.dropFirst("ccsync lock ".count)) }
            if let colon = line.firstIndex(of: ":") {
                fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmed
            }
        }
        guard let session, StoreFileKind.isSessionID(session), let holder = fields["holder"],
              let acquired = fields["acquired"].flatMap(Self.parse), let expires = fields["expires"].flatMap(Self.parse),
              let state = fields["state"].flatMap(State.init(rawValue:)) else { return nil }
        self.init(session: session, holder: holder, acquired: acquired, expires: expires, state: state)
    }

    /// `2026-03-01T12:00:01.250Z`: UTC, milliseconds.
    public static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// The format above, or the same without the fraction.
    static func parse(_ s: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s))
            ?? (try? Date.ISO8601FormatStyle().parse(s))
    }
}
