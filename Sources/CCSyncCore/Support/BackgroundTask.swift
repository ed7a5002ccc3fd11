#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch

/// Runs one piece of work on a thread of its own and hands its result back: for a network round trip
/// (a git subprocess) that can overlap with local work instead of waiting in line behind it.
public final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `outcome` is written once by the worker before it signals, and read only after wait.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            outcome = Result { try work() }
            done.signal()
        }
    }

    public func wait() throws -> Value {
        done.wait()
        return try outcome!.get()
    }

    /// The result, or nil when the work has not finished within `seconds` (it goes on, unobserved).
    public func wait(timeout seconds: Double) -> Result<Value, any Error>? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()
        return outcome
    }
}
