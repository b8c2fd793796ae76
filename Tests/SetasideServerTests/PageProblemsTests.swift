import SetasideCore
@testable import SetasideServer
import Testing

@Suite struct PageProblemsTests {
    @Test func aProblemWithACauseIsWordedByTheCatalogueAndOneWithoutKeepsItsReason() {
        let amount = InputProblem(line: 0, field: "amount", reason: "English reason", cause: .amount(.malformed("<1>")))
        #expect(PageProblems.wording(amount, words: .zh) == "“<1>”" + "不是以元为单位的金额：请填写数字，最多两位小数，如 1234.50 或 1,234.50（不含字母；逗号只用于每三位数字之间）")
        #expect(PageProblems.wording(amount, words: .en).hasPrefix("\"<1>\" is not an amount in yuan"))
        let code = InputProblem(line: 0, field: "origin_code", reason: "x", cause: .code(.invalidCharacter("14A", "A", position: 3)))
        #expect(PageProblems.wording(code, words: .zh).hasPrefix("“14A”第 3 位的“A”不允许使用"))
        let plain = InputProblem(line: 0, field: "amount", reason: "the reversal takes back more than is left")
        #expect(PageProblems.wording(plain, words: .zh) == plain.reason)
        // Every cause finds its words in both catalogues (no bracketed key).
        let causes: [ProblemCause] = [
            .empty, .notAChoice("x"), .negative("-1.00"), .amount(.malformed("x")), .amount(.tooManyDecimals("1.234")),
            .amount(.outOfRange("1e20")), .date(.malformed("x")), .date(.yearOutOfRange("3000-01-01")),
            .date(.noSuchDate("2024-02-30")), .code(.wrongLength("1", expected: "")), .code(.notADivision("000000")),
            .code(.invalidCharacter("1!", "!", position: 2)),
        ]
        for cause in causes {
            for words in [PageCatalogue.zh, .en] {
                let text = PageProblems.wording(InputProblem(line: 0, field: "f", reason: "r", cause: cause), words: words)
                #expect(!text.contains("[problem_") && !text.contains("{"), "\(cause): \(text)")
            }
        }
    }
}
