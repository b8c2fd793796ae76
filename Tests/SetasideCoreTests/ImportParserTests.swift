import Testing
@testable import SetasideCore

@Suite struct ImportParserTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"

    @Test func aGoodPurchasesFileParsesInAnyColumnOrder() throws {
        let parsed = try ImportParser.purchases(bytes("""
            amount,credit_code,order_no,order_date,channel,category,origin_code,status,festival,reversal_of
            "1,234.50",91110000101623741K,A1,2024-03-01,platform832,canteenFood,140603,completed,,
            ¥20,91110000101623741K,A2,2024-09-10,localPlatform,unionFestival,140603,completed,中秋,
            -100.5,91110000101623741K,A1-R,2024-04-01,platform832,canteenFood,140603,completed,,A1

            """))
        #expect(parsed.records.count == 3)
        #expect(parsed.records[0].amount == Money(fen: 123_450))
        #expect(parsed.records[1].festival == "midAutumn")
        #expect(parsed.records[2].reversalOf == "A1")
        #expect(parsed.records[2].amount == Money(fen: -10_050))
        #expect(parsed.warnings.isEmpty)
    }

    @Test func aDraftFromAnyDoorFollowsTheRulesOfAFileRow() throws {
        let unit = try CreditCode(parsing: "91110000101623741K")
        var draft = PurchaseDraft()
        (draft.creditCode, draft.orderNo, draft.orderDate) = (unit, "A2", try CalendarDate(parsingISO: "2024-09-10"))
        (draft.channel, draft.category, draft.originCode) = (.localPlatform, .unionFestival, try DivisionCode(parsing: "140603"))
        (draft.amount, draft.status, draft.festival) = (Money(fen: 2_000), .completed, "中秋")
        var warnings: [InputProblem] = []
        let record = try #require(draft.checked(warnings: &warnings).record)
        let row = try ImportParser.purchases(bytes(header + "91110000101623741K,A2,2024-09-10,localPlatform,unionFestival,140603,20,completed,中秋,\n"))
        var fromFile = try #require(row.records.first)
        fromFile.line = record.line
        #expect(record == fromFile)
        #expect(record.festival == "midAutumn" && record.reversalOf == nil && warnings.isEmpty)

        var bad = draft
        bad.amount = Money(fen: -100)
        bad.festival = nil
        bad.orderDate = nil   // did not decode: its problem is the decoder's; the checks go on
        let (none, problems) = bad.checked(warnings: &warnings)
        #expect(none == nil)
        #expect(problems.map(\.field) == ["festival", "amount"])
        #expect(problems.last?.reason.contains("must be positive") == true)
        // A reversal must be negative and completed, and cannot reverse itself.
        var reversal = draft
        reversal.category = .canteenFood
        reversal.festival = nil
        reversal.reversalOf = "A2"
        reversal.status = .refunded
        #expect(reversal.checked(warnings: &warnings).problems.map(\.field) == ["amount", "reversal_of", "status"])
    }

    @Test func aFestivalThatIsNotAKnownOneIsKeptWithAWarning() throws {
        let file = header + """
            91110000101623741K,F1,2024-06-10,platform832,unionFestival,140603,20,completed,古尔邦节,
            91110000101623741K,F2,2024-09-10,platform832,unionFestival,140603,20,completed,中秋节,
            91110000101623741K,F3,2024-09-11,platform832,unionFestival,140603,20,completed,SpringFestival,

            """
        let parsed = try ImportParser.purchases(bytes(file))
        #expect(parsed.records.map(\.festival) == ["古尔邦节", "midAutumn", "springFestival"])
        #expect(parsed.warnings.map { "\($0.line) \($0.field)" } == ["2 festival"])
        #expect(parsed.warnings.first?.reason.contains("regional festival") == true)
    }

    @Test func controlCharactersInStoredTextAreRefusedNamingTheField() throws {
        // An order number with a NUL, a reversal_of with a line break (quoted) in a purchases file.
        let file = header + "91110000101623741K,A\u{0}1,2024-09-10,platform832,canteenFood,140603,-20,completed,,\"A\n0\"\n"
        #expect {
            try ImportParser.purchases(bytes(file))
        } throws: { error in
            guard case ImportError.rejected(let problems) = error as! ImportError else { return false }
            let byField = Dictionary(problems.map { ($0.field, $0.reason) }, uniquingKeysWith: { a, _ in a })
            return byField["order_no"]?.contains("U+0000") == true && byField["reversal_of"]?.contains("U+000A") == true
        }
        // The same checks for a request's fields.
        #expect(throws: FieldError.self) { try FieldValue.orderNumber("A\u{0}1") }
        #expect(throws: FieldError.self) { try FieldValue.storable("A\n0") }
        // A line break inside a quoted name of a units file is refused the same way.
        let units = "credit_code,name,region_code,level,has_canteen,five_entries,assisting\n"
            + "91110000101623741K,\"示例\n单位\",140603,district,true,true,true\n"
        #expect {
            try ImportParser.units(bytes(units))
        } throws: { error in
            guard case ImportError.rejected(let problems) = error as! ImportError else { return false }
            return problems.map { "\($0.line) \($0.field)" } == ["2 name"]
        }
    }

    @Test func everyBadRowIsListedByLineAndField() {
        let file = header + """
            91110000101623741K,A1,2024-02-30,platform832,canteenFood,140603,12.345,completed,,
            91110000101623741K,A2,2024-01-01,carrier,canteenFood,14060,-5,completed,,
            91110000101623741K,A3,2024-01-01,platform832,unionFestival,140603,5,completed,,
            91110000101623741K,A4,2024-01-01,platform832,canteenFood,140603,5,completed,springFestival,
            91110000101623741K,A4,2024-01-01,platform832,canteenFood,140603,5,completed,,
            91110000101623741K,A5,2024-01-01,platform832,canteenFood,140603,5,completed,,
            91110000101623741K,A5,2024-01-01,platform832,canteenFood,140603,5,completed,,
            91110000101623741K,A6,2024-01-01,platform832,canteenFood,140603,5,cancelled,,A5
            9111000010162374IK,A7,2024-01-01,platform832,canteenFood,140603,5,completed,,

            """
        #expect {
            try ImportParser.purchases(bytes(file))
        } throws: { error in
            guard case ImportError.rejected(let problems) = error as! ImportError else { return false }
            let found = Set(problems.map { "\($0.line) \($0.field)" })
            let expected: Set<String> = ["2 order_date", "2 amount", "3 channel", "3 origin_code", "3 amount",
                                         "4 festival", "5 festival", "8 ", "9 amount", "9 status", "10 credit_code"]
            return found == expected
        }
    }

    @Test func aWrongCheckCharacterIsAWarningNotARefusal() throws {
        let parsed = try ImportParser.units(bytes("""
            credit_code,name,region_code,level,has_canteen,five_entries,assisting
            91110000101623741A,示例单位,140603,district,true,false,true

            """))
        #expect(parsed.records.count == 1)
        #expect(parsed.records[0].creditCode.hasValidCheckCharacter == false)
        #expect(parsed.warnings.map(\.field) == ["credit_code"])
    }

    @Test func unknownAndMissingColumnsRefuseTheFile() {
        #expect(throws: ImportError.self) {
            try ImportParser.declarations(bytes("credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,extra\n"))
        }
        #expect(throws: ImportError.self) {
            try ImportParser.declarations(bytes("credit_code,year,canteen_food_total\n"))
        }
    }

    @Test func negativeDeclarationsAndInvertedRangesAreRefused() {
        #expect(throws: ImportError.self) {
            try ImportParser.declarations(bytes("""
                credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget
                91110000101623741K,2024,-1.00,0,0

                """))
        }
        #expect(throws: ImportError.self) {
            try ImportParser.assignments(bytes("""
                credit_code,village_code,year_from,year_to
                91110000101623741K,140603001201,2025,2024

                """))
        }
    }

    @Test func theDemoIsDeterministicAndParses() throws {
        let a = DemoProvince(.init(units: 30, purchases: 600, seed: 7))
        let b = DemoProvince(.init(units: 30, purchases: 600, seed: 7))
        #expect(a.files.map(\.csv) == b.files.map(\.csv))
        let purchases = try ImportParser.purchases(bytes(a.files.first { $0.kind == .purchases }!.csv))
        #expect(purchases.records.count >= 600)
        #expect(purchases.records.contains { $0.reversalOf != nil })
        let units = try ImportParser.units(bytes(a.files.first { $0.kind == .units }!.csv))
        let allValid = units.records.allSatisfy { $0.creditCode.hasValidCheckCharacter }
        #expect(allValid)
    }
}

@Suite struct FestivalTests {
    @Test func oneFestivalHasOneIdentifierHoweverItIsWritten() {
        for written in ["midAutumn", "MidAutumn", "中秋", "中秋节"] { #expect(Festival.normalize(written) == "midAutumn") }
        for written in ["春节", "springFestival"] { #expect(Festival.normalize(written) == "springFestival") }
        for written in ["劳动节", "劳动"] { #expect(Festival.normalize(written) == "labourDay") }
        #expect(Festival.normalize("古尔邦节") == "古尔邦节")   // a regional festival, kept as written
        #expect(Festival.normalize("") == nil)
        #expect(Festival.normalize(String(repeating: "节", count: 40)) == nil)
    }
}

/// A purchase typed into a page's form goes through the same decoding and checks as a
/// purchases file's row.
@Suite struct FormPurchaseTests {
    static let code = "91110000101623741K"

    @Test func aGoodFormIsARecordAndABadOneNamesEachField() {
        let good = ImportParser.purchase(fields: [
            "credit_code": Self.code, "order_no": "W1", "order_date": "2024-03-01", "channel": "platform832",
            "category": "canteenFood", "origin_code": "140603", "amount": "1,234.50", "status": "completed",
        ])
        #expect(good.problems.isEmpty && good.record?.amount == Money(fen: 123_450) && good.record?.orderNo == "W1")
        let bad = ImportParser.purchase(fields: [
            "credit_code": Self.code, "order_no": "", "order_date": "2024-02-30", "channel": "platform832",
            "category": "unionFestival", "origin_code": "14", "amount": "-5", "status": "completed",
        ])
        #expect(bad.record == nil)
        let fields = Set(bad.problems.map(\.field))
        #expect(fields.isSuperset(of: ["order_no", "order_date", "origin_code", "amount"]), "\(bad.problems)")
    }

    @Test func aFieldsProblemNamesItsCauseForOtherLanguages() {
        let bad = ImportParser.purchase(fields: [
            "credit_code": Self.code, "order_no": "W1", "order_date": "", "channel": "phone",
            "category": "canteenFood", "origin_code": "14", "amount": "12a4", "status": "completed",
        ])
        let causes = Dictionary(bad.problems.map { ($0.field, $0.cause) }, uniquingKeysWith: { a, _ in a })
        #expect(causes["amount"] == .amount(.malformed("12a4")), "\(bad.problems)")
        #expect(causes["order_date"] == .empty)
        #expect(causes["channel"] == .notAChoice("phone"))
        #expect(causes["origin_code"] == .code(.wrongLength("14", expected: "6, 9 or 12 digits (administrative division code)")))
        // The cause is not part of a problem's identity: the same problem without one is equal.
        let amount = try? #require(bad.problems.first { $0.field == "amount" })
        #expect(amount.map { InputProblem(place: $0.place, field: $0.field, reason: $0.reason) == $0 } == true)
    }
}
