import Testing
@testable import SetasideCore

/// What a unit declares for a year beyond its three figures (issue 11), as the rules
/// read it.
@Suite struct DeclarationDetailTests {
    typealias C = ComplianceTests

    static func facts(_ declaration: Declaration?, canteen: Bool = true, buckets: [PurchaseBucket] = []) -> UnitFacts {
        UnitFacts(unit: C.unit(canteen: canteen, five: true), year: 2024, declaration: declaration, buckets: buckets)
    }

    @Test func aNoCanteenYearOwesNoReservationWhateverTheUnitsFlag() {
        var declaration = C.declaration(total: 0)
        declaration.hasCanteen = false
        let canteen = ComplianceEvaluator.evaluate(Self.facts(declaration), rule: C.canteenRule, pack: "t")
        #expect(canteen.status == .notApplicable)
        #expect(canteen.notes == ["无食堂 declared for 2024"])
        let directed = ComplianceEvaluator.evaluate(Self.facts(declaration), rule: RuleCorrectionTests.directedRule, pack: "t")
        #expect(directed.status == .notApplicable)
        // And the other way: a unit flagged without a canteen that declares one owes it.
        var has = C.declaration(total: 1_000_000)
        has.hasCanteen = true
        let owed = ComplianceEvaluator.evaluate(Self.facts(has, canteen: false, buckets: [C.bucket(fen: 100_000)]),
                                                rule: C.canteenRule, pack: "t")
        #expect(owed.status == .met)
    }

    @Test func aWaiverDecidesByItsLowerRatioAndIsShownWithItsDocument() {
        var declaration = C.declaration(total: 10_000_000, reserved: 800_000)
        declaration.waiver = Waiver(basisPoints: 800, document: "财库函〔2024〕1号", approvedBy: "省财政厅",
                                    approvedOn: CalendarDate(year: 2024, month: 3, day: 1))
        // 8 500.00 of 100 000.00: short of 10%, met at the approved 8%.
        let facts = Self.facts(declaration, buckets: [C.bucket(fen: 850_000)])
        let result = ComplianceEvaluator.evaluate(facts, rule: C.canteenRule, pack: "t")
        #expect(result.status == .met)
        #expect(result.required == .money(Money(fen: 800_000)))
        #expect(result.waiver?.document == "财库函〔2024〕1号")
        #expect(result.declarationCovers == true)   // 8 000.00 reserved is 8% of the declared total
        #expect(result.notes.contains("approved lower ratio 8.00% (财库函〔2024〕1号, 省财政厅, 2024-03-01)"))
        let json = ComplianceReport(year: 2024, units: [UnitCompliance(creditCode: "x", name: "x", region: "x", rules: [result])]).json()
        #expect(json.contains(#""waiver": {"ratio": "8.00", "document": "财库函〔2024〕1号", "approvedBy": "省财政厅", "approvedOn": "2024-03-01"}"#))
        // Without the waiver, the same purchases are short.
        declaration.waiver = nil
        #expect(ComplianceEvaluator.evaluate(Self.facts(declaration, buckets: [C.bucket(fen: 850_000)]),
                                             rule: C.canteenRule, pack: "t").status == .short)
    }

    @Test func aDeclaredRatioBelowTheRequiredOneIsANoteNotARefusal() {
        var declaration = C.declaration(total: 1_000_000)
        declaration.declaredBasisPoints = 850
        let result = ComplianceEvaluator.evaluate(Self.facts(declaration, buckets: [C.bucket(fen: 100_000)]),
                                                  rule: C.canteenRule, pack: "t")
        #expect(result.status == .met)
        #expect(result.notes.contains("the declared ratio 8.50% is below the required 10.00%"))
    }

    @Test func festivalsBindOnlyAUnionWithPurchaseNeeds() {
        var declaration = C.declaration(total: 1_000_000)
        declaration.unionPurchaseNeed = false
        let result = ComplianceEvaluator.evaluate(Self.facts(declaration), rule: RuleCorrectionTests.festivalRule, pack: "t")
        #expect(result.status == .notApplicable)
        declaration.unionPurchaseNeed = nil   // not said: it has
        #expect(ComplianceEvaluator.evaluate(Self.facts(declaration), rule: RuleCorrectionTests.festivalRule,
                                             pack: "t").status == .short)
    }

    @Test func ratiosAreReadAsPercentagesWithTwoDecimalsAtMost() throws {
        #expect(try Ratio.basisPoints(parsing: "10") == 1000)
        #expect(try Ratio.basisPoints(parsing: "12.5") == 1250)
        #expect(try Ratio.basisPoints(parsing: "8.05") == 805)
        #expect(try Ratio.basisPoints(parsing: "100") == 10_000)
        #expect(try Ratio.basisPoints(parsing: "0") == 0)
        for bad in ["", "101", "010", "12.345", "-5", "10%", "1,5", "12.", ".5", "100.01"] {
            #expect(throws: FieldError.self, "\(bad)") { try Ratio.basisPoints(parsing: bad) }
        }
    }
}

/// Where a unit-year's declaration stands: declared, late, missing, 无食堂.
@Suite struct DeclarationStateTests {
    let deadline = CalendarDate(year: 2024, month: 2, day: 20)!

    func declared(on day: CalendarDate?, canteen: Bool? = nil) -> Declaration {
        var declaration = ComplianceTests.declaration(total: 1_000_000)
        declaration.declaredOn = day
        declaration.hasCanteen = canteen
        return declaration
    }

    @Test func eachStateFromTheDeclarationAndTheDeadline() {
        #expect(DeclarationState.of(nil, deadline: deadline) == .missing)
        #expect(DeclarationState.of(declared(on: deadline), deadline: deadline) == .declared)
        #expect(DeclarationState.of(declared(on: CalendarDate(year: 2024, month: 2, day: 21)), deadline: deadline) == .late)
        // A declaration stored without its day (before days were kept) is not late.
        #expect(DeclarationState.of(declared(on: nil), deadline: deadline) == .declared)
        #expect(DeclarationState.of(declared(on: CalendarDate(year: 2024, month: 3, day: 1)), deadline: nil) == .declared)
        #expect(DeclarationState.of(declared(on: CalendarDate(year: 2024, month: 3, day: 1), canteen: false),
                                    deadline: deadline) == .noCanteen)
    }

    @Test func theMostSpecificPackWithADeadlineSetsIt() {
        func code(_ t: String) -> DivisionCode { try! DivisionCode(parsing: t) }
        var national = PolicyPack(id: "national-baseline", title: "n", jurisdiction: code("100000"), yearFrom: 2021,
                                  yearTo: nil, source: "t", rules: [])
        national.deadlines = [2024: deadline]
        var county = PolicyPack(id: "pinglu-2022", title: "p", jurisdiction: code("140603"), yearFrom: 2022, yearTo: 2025,
                                source: "t", rules: [])
        let pinglu = ["140603", "140600", "140000", "100000"].map(code)
        #expect(PackSelection.deadline(ancestry: pinglu, year: 2024, packs: [national, county]) == deadline)
        #expect(PackSelection.deadline(ancestry: pinglu, year: 2023, packs: [national, county]) == nil)
        county.deadlines = [2024: CalendarDate(year: 2024, month: 3, day: 31)!]
        #expect(PackSelection.deadline(ancestry: pinglu, year: 2024, packs: [national, county])
                == CalendarDate(year: 2024, month: 3, day: 31))
    }
}

/// Which version of a unit-year's declaration counts, and when a declaration is a new one.
@Suite struct DeclarationHistoryTests {
    func version(_ n: Int, total: Int64, day: CalendarDate? = nil, returned: Bool = false) -> DeclarationVersion {
        var declaration = ComplianceTests.declaration(total: total)
        declaration.declaredOn = day
        return DeclarationVersion(version: n, declaration: declaration,
                                  returned: returned ? DeclarationReturn(version: n, reason: "r", returnedBy: "cli:i",
                                                                         returnedAt: "2024-03-01T00:00:00Z") : nil)
    }

    @Test func theLatestVersionNotReturnedCounts() {
        let day = CalendarDate(year: 2024, month: 2, day: 1)
        let history = DeclarationHistory(versions: [version(2, total: 2_000, returned: true), version(1, total: 1_000, day: day)])
        #expect(history.versions.map(\.version) == [1, 2])   // kept in order whatever the input's
        #expect(history.counted?.version == 1 && history.latest?.version == 2 && history.isReturned)
        #expect(DeclarationState.of(history, deadline: nil) == .returned)
        let allReturned = DeclarationHistory(versions: [version(1, total: 1_000, returned: true)])
        #expect(allReturned.counted == nil && DeclarationState.of(allReturned, deadline: nil) == .returned)
        #expect(DeclarationState.of(DeclarationHistory(), deadline: nil) == .missing)
        #expect(DeclarationHistory().counted == nil && !DeclarationHistory().isReturned)
    }

    @Test func onlyOtherContentOrADeclarationAfterAReturnIsANewVersion() {
        let day = CalendarDate(year: 2024, month: 2, day: 1)
        let history = DeclarationHistory(versions: [version(1, total: 1_000, day: day)])
        #expect(!history.isNewVersion(version(9, total: 1_000, day: day).declaration))
        // Without a day, the same figures are the same declaration (a file sent again).
        #expect(!history.isNewVersion(version(9, total: 1_000).declaration))
        #expect(history.isNewVersion(version(9, total: 1_000, day: CalendarDate(year: 2024, month: 2, day: 2)).declaration))
        #expect(history.isNewVersion(version(9, total: 1_001, day: day).declaration))
        var waived = version(9, total: 1_000, day: day).declaration
        waived.waiver = Waiver(basisPoints: 800, document: "财库函〔2024〕1号")
        #expect(history.isNewVersion(waived))
        // After a return, the same file again does not undo it; declaring again does.
        let returned = DeclarationHistory(versions: [version(1, total: 1_000, day: day, returned: true)])
        #expect(!returned.isNewVersion(version(9, total: 1_000, day: day).declaration))
        #expect(returned.isNewVersion(version(9, total: 1_000, day: CalendarDate(year: 2024, month: 2, day: 15)).declaration))
        #expect(returned.isNewVersion(version(9, total: 1_000, day: day).declaration, declaringAgain: true))
        #expect(DeclarationHistory().isNewVersion(version(9, total: 1_000).declaration))
    }
}

/// Shared canteens in the rules: the group at the declaring unit, the members not applicable.
@Suite struct SharedCanteenRuleTests {
    @Test func theDeclaringUnitTakesTheGroupAndAMemberNamesIt() {
        let rule = ComplianceTests.canteenRule
        var facts = UnitFacts(unit: ComplianceTests.unit(), year: 2024, declaration: ComplianceTests.declaration(total: 100_000_00),
                              buckets: [ComplianceTests.bucket(fen: 5_000_00)])
        #expect(ComplianceEvaluator.evaluate(facts, rule: rule, pack: "p").status == .short)
        facts.sharedMembers = [SharedMember(unit: UnitReference(creditCode: "E", name: "戊"),
                                            buckets: [ComplianceTests.bucket(fen: 6_000_00)])]
        let group = ComplianceEvaluator.evaluate(facts, rule: rule, pack: "p")
        #expect(group.status == .met && group.actual == .money(Money(fen: 11_000_00)))
        // The members' logged canteen food raises the base too.
        facts.sharedMembers[0].buckets.append(ComplianceTests.bucket(.other, relieved: false, fen: 100_000_00))
        let larger = ComplianceEvaluator.evaluate(facts, rule: rule, pack: "p")
        #expect(larger.base == Money(fen: 111_000_00) && larger.status == .short)   // 11 000 of 111 000
        var member = UnitFacts(unit: ComplianceTests.unit(), year: 2024, declaration: nil, buckets: [])
        member.sharedBy = UnitReference(creditCode: "A", name: "甲")
        let shown = ComplianceEvaluator.evaluate(member, rule: rule, pack: "p")
        #expect(shown.status == .notApplicable && shown.notes == ["shared canteen (共用食堂) declared by A 甲"])
    }

    @Test func aChainOrASelfDeclarationIsRefused() {
        var shared = ComplianceTests.declaration(total: 0)
        shared.canteenMode = .shared
        shared.declaredBy = "X"
        #expect(SharedCanteen.problems(unit: "M", declaration: shared, declarer: nil, members: []).isEmpty)
        #expect(SharedCanteen.problems(unit: "M", declaration: shared, declarer: shared, members: []).map(\.column) == ["declared_by"])
        #expect(SharedCanteen.problems(unit: "X", declaration: shared, declarer: nil, members: []).map(\.column) == ["declared_by"])
        #expect(SharedCanteen.problems(unit: "M", declaration: shared, declarer: nil, members: ["N"]).map(\.column) == ["canteen_mode"])
        var details = Declaration.Details()
        details.canteenMode = .shared
        #expect(details.problems.map(\.column) == ["declared_by"])
        details.hasCanteen = false
        details.declaredBy = "X"
        #expect(details.problems.map(\.column) == ["canteen_mode"])
    }
}
