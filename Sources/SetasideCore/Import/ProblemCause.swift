/// What kind of problem an `InputProblem` is, for readers of another language: the web
/// pages word a problem from their catalogue by its cause, while `reason` stays the
/// English text that files' reports and the API give. Nil for the problems that have
/// only their reason (the pages then show it as it is).
public enum ProblemCause: Sendable, Hashable {
    /// A required field left empty.
    case empty
    /// A value that is not one of a field's choices (the text typed).
    case notAChoice(String)
    /// An amount below zero where none may be (the amount in yuan).
    case negative(String)
    case amount(AmountError)
    case date(DateError)
    case code(CodeError)

    /// The cause of a field's parse error, when it is one of the typed errors above.
    public init?(_ error: any Error) {
        switch error {
        case let error as AmountError: self = error == .empty ? .empty : .amount(error)
        case let error as DateError: self = error == .empty ? .empty : .date(error)
        case let error as CodeError:
            if case .empty = error { self = .empty } else { self = .code(error) }
        default: return nil
        }
    }
}
