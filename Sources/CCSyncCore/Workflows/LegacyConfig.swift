#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// claude-session-sync's `~/.claude-session-sync/config.json`, for `init --import`: its machine id and
/// its custom placeholders (this machine's paths) carry over.
public struct LegacyConfig: Equatable, Sendable {
    public let machine: String?
    /// Sorted by name.
    public let placeholders: [Placeholder]

    public struct Placeholder: Equatable, Sendable {
        public let name: String
        public let path: String

        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    public init(machine: String?, placeholders: [Placeholder]) {
        self.machine = machine
        self.placeholders = placeholders
    }

    /// Reads the file at the absolute `path`.
    public static func read(_ path: String) throws -> LegacyConfig {
        let bytes: [UInt8]
        do { bytes = try readFile(path) } catch {
            throw WorkflowError("cannot read \(path): \(error) (pass the path of claude-session-sync's config.json)")
        }
        guard let config = try? JSONDecoder().decode(Fields.self, from: Data(bytes)) else {
            throw WorkflowError("\(path) is not a claude-session-sync config (expected a JSON object)")
        }
        let custom = config.customPlaceholders ?? [:]
        return LegacyConfig(machine: config.machineID,
                            placeholders: custom.sorted { $0.key < $1.key }.map { Placeholder(name: $0.key, path: $0.value) })
    }

    /// The two fields carried over; either may be missing or of another type (then it is ignored, as
    /// the old tool's own reader did), but the file must be a JSON object.
    private struct Fields: Decodable {
        let machineID: String?
        let customPlaceholders: [String: String]?

        enum CodingKeys: String, CodingKey {
            case machineID = "machine_id"
            case customPlaceholders = "custom_placeholders"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            machineID = try? container.decodeIfPresent(String.self, forKey: .machineID)
            customPlaceholders = try? container.decodeIfPresent([String: String].self, forKey: .customPlaceholders)
        }
    }
}
