import SetasideCore
import Testing

/// The order exports' data tables, and the purpose words read beside them.
@Suite struct OrderTablesTests {
    @Test func aFestivalsGiftsNameTheFestival() {
        #expect(OrderTables.festivalPurpose("春节慰问") == "springFestival")
        #expect(OrderTables.festivalPurpose("中秋节慰问品") == "midAutumn")
        #expect(OrderTables.festivalPurpose("古尔邦节慰问") == "古尔邦节")
        // Not a festival: no guess.
        #expect(OrderTables.festivalPurpose("食堂慰问") == nil)
        #expect(OrderTables.festivalPurpose("慰问") == nil)
        #expect(OrderTables.festivalPurpose("春节") == nil)
    }

    @Test func everyTableIsReadAndNamesWhatItShould() {
        #expect(OrderTables.headers["节日"] == .festival)
        #expect(OrderTables.headers["订单编号"] == .orderNo)
        #expect(OrderTables.categories["节日慰问"] == .unionFestival)
        // Every field has at least one header.
        for field in OrderField.allCases { #expect(OrderTables.headers.values.contains(field), "\(field)") }
    }
}
