import SetasideCore

/// A small hand-checked data set: the expected report of `ReportTests` was worked out
/// by hand from these rows (see the comments there).
enum Fixtures {
    /// A valid credit code: the 17 characters given plus their check character.
    static func code(_ first17: String) -> String {
        first17 + String(CreditCode.checkCharacter(forFirst17: first17)!)
    }

    /// Unit A: 平鲁区, district level, canteen, 五进, assisting.
    static let unitA = code("12140603MB0000001")
    /// Unit B: 玉溪市红塔区, city level, canteen.
    static let unitB = code("12530402MB0000002")
    /// Unit C: 朔城区 (only the national baseline), no canteen.
    static let unitC = code("12140602MB0000003")

    static let regions = """
        code,name,level,parent_code,poverty_relieved
        140000,山西省,province,,false
        140600,朔州市,city,140000,false
        140603,平鲁区,county,140600,true
        140602,朔城区,county,140600,false
        140603001,示例乡,township,140603,false
        140603001201,示例一村,village,140603001,true
        140603001202,示例二村,village,140603001,false
        530000,云南省,province,,false
        530400,玉溪市,city,530000,false
        530402,红塔区,county,530400,false
        530428,元江县,county,530400,true

        """

    static var units: String {
        """
        credit_code,name,region_code,level,has_canteen,five_entries,assisting
        \(unitA),示例单位甲,140603,district,true,true,true
        \(unitB),示例单位乙,530402,city,true,false,false
        \(unitC),示例单位丙,140602,district,false,false,false

        """
    }

    static var declarations: String {
        """
        credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget
        \(unitA),2024,100000.00,10000.00,20000.00
        \(unitB),2024,"50,000",5000,0

        """
    }

    static var assignments: String {
        """
        credit_code,village_code,year_from,year_to
        \(unitA),140603001201,2023,2025

        """
    }

    static var agreements: String {
        """
        credit_code,village_code,valid_from,valid_to
        \(unitA),140603001201,2024-01-01,2024-06-30

        """
    }

    static var purchases: String {
        """
        credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
        \(unitA),P1,2024-02-01,platform832,canteenFood,140603,8000.00,completed,,
        \(unitA),P2,2024-03-01,platform832,canteenFood,140603001201,3000,completed,,
        \(unitA),P3,2024-08-01,directed,canteenFood,140603001201,5000,completed,,
        \(unitA),P4,2024-04-01,platform832,canteenFood,140602,84000,completed,,
        \(unitA),P5,2024-05-01,platform832,canteenFood,140603,1000,cancelled,,
        \(unitA),P6,2024-05-02,platform832,canteenFood,140603,2000,refunded,,
        \(unitA),P7,2024-05-03,platform832,canteenFood,140603,1500,completed,,
        \(unitA),P8,2024-06-01,platform832,canteenFood,140603,-500,completed,,P1
        \(unitA),P9,2024-06-02,platform832,unionWelfare,140603,4000,completed,,
        \(unitA),P10,2024-09-01,other,unionFestival,530428,2500,completed,springFestival,
        \(unitA),P11,2024-10-01,directed,packing,140603001201,6000,completed,,
        \(unitA),P12,2024-10-02,directed,packing,140603001202,9000,completed,,
        \(unitA),P13,2023-12-30,platform832,canteenFood,140603,70000,completed,,
        \(unitB),Q1,2024-03-01,platform832,canteenFood,530428,4999.99,completed,,
        \(unitB),Q2,2024-09-15,localPlatform,unionFestival,530428,800,completed,中秋,
        \(unitB),Q3,2024-01-20,platform832,unionFestival,530402,300,completed,springFestival,

        """
    }

    /// The files in import order.
    static var all: [(ImportKind, String)] {
        [(.regions, regions), (.units, units), (.declarations, declarations), (.assignments, assignments),
         (.agreements, agreements), (.purchases, purchases)]
    }
}
