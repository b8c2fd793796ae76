import SetasideCore

/// A form's problems in the reader's words: a problem with a cause the core named
/// (`ProblemCause`: an empty field, a choice, an amount, a date, a code) is worded from
/// the catalogue; any other keeps the core's English reason, which the API and the
/// files' reports give too.
enum PageProblems {
    static func wording(_ problem: InputProblem, words: PageCatalogue) -> String {
        guard let cause = problem.cause else { return problem.reason }
        switch cause {
        case .empty: return words["problem_empty"]
        case .notAChoice(let text): return words.text("problem_choice", ["text": text])
        case .negative(let text): return words.text("problem_negative", ["text": text])
        case .amount(let error):
            switch error {
            case .empty: return words["problem_empty"]
            case .malformed(let text): return words.text("problem_amount_malformed", ["text": text])
            case .tooManyDecimals(let text): return words.text("problem_amount_decimals", ["text": text])
            case .outOfRange(let text):
                return words.text("problem_amount_range", ["text": text, "largest": Money.largestAccepted.groupedYuanString])
            }
        case .date(let error):
            switch error {
            case .empty: return words["problem_empty"]
            case .malformed(let text): return words.text("problem_date_malformed", ["text": text])
            case .yearOutOfRange(let text): return words.text("problem_date_year", ["text": text])
            case .noSuchDate(let text): return words.text("problem_date_nosuch", ["text": text])
            }
        case .code(let error):
            switch error {
            case .empty: return words["problem_empty"]
            case .wrongLength(let text, _): return words.text("problem_code_length", ["text": text, "count": String(text.count)])
            case .invalidCharacter(let text, let character, let position):
                return words.text("problem_code_character", ["text": text, "character": String(character), "position": String(position)])
            case .notADivision(let text): return words.text("problem_code_division", ["text": text])
            }
        }
    }
}
