/// A workflow's refusal, told to the user as it is: what happened and, in parentheses, what to do
/// (`git-ccsync: error: <message>`, exit 1).
public struct WorkflowError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = message
    }
}
