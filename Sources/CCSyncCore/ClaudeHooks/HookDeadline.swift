#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch

/// One piece of work on a thread of its own, waited for with a deadline: the hook's round trip to a
/// remote that may not answer (it goes on, unobserved, after the deadline; the hook process ends).
final class HookDeadline<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `outcome` is written once by the worker before it signals, and read only after wait.
    private var outcome: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            outcome = Result { try work() }
            done.signal()
        }
    }

    /// The result, or nil when the work has not finished within `seconds`.
    func wait(timeout seconds: Double) -> Result<Value, any Error>? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()
        return outcome
    }
}
