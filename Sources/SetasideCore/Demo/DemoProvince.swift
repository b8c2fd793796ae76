/// A clearly synthetic data set for demonstrations and benchmarks.
///
/// Synthetic units (names start with 【示例】) sit under the real jurisdictions of the
/// shipped packs (平鲁区, 玉溪市, 大理州) and under a county that only the national
/// baseline governs, so every rule is exercised; townships and villages are invented
/// (示例…乡, 示例…村). Each unit gets a propensity to comply, so every rule is met
/// somewhere and missed somewhere. The same options always make the same files.
public struct DemoProvince: Sendable {
    public struct Options: Sendable {
        public var units: Int
        public var purchases: Int
        public var year: Int
        public var seed: UInt64

        public init(units: Int = 300, purchases: Int = 30_000, year: Int = 2024, seed: UInt64 = 832) {
            self.units = units
            self.purchases = purchases
            self.year = year
            self.seed = seed
        }
    }

    /// The files, one CSV text per import kind, in import order.
    public private(set) var files: [(kind: ImportKind, csv: String)] = []
    /// A second declarations file, imported after `files`: a few units correct their
    /// declaration, stored as its next version.
    public private(set) var revisions = ""
    /// A later purchases export, imported after `files`: orders paid or refunded since,
    /// each booked as a status change.
    public private(set) var statusUpdates = ""
    /// Declarations an inspector sends back (退回), each the unit-year's latest version
    /// once `revisions` is imported.
    public private(set) var returns: [DemoReturn] = []

    /// A declaration returned in the demo.
    public struct DemoReturn: Sendable, Hashable {
        public var creditCode: String
        public var year: Int
        public var reason: String
    }

    struct County {
        var code: String
        var name: String
        var relieved: Bool
        var villages: [(code: String, relieved: Bool)] = []
    }

    public init(_ options: Options) {
        var random = SeededGenerator(seed: options.seed)
        var regions = ["code,name,level,parent_code,poverty_relieved"]
        let upper: [(String, String, String, String)] = [
            ("140000", "山西省", "province", ""), ("140600", "朔州市", "city", "140000"),
            ("530000", "云南省", "province", ""), ("530400", "玉溪市", "city", "530000"),
            ("532900", "大理白族自治州", "city", "530000"),
        ]
        for (code, name, level, parent) in upper { regions.append("\(code),\(name),\(level),\(parent),false") }
        var counties = [
            County(code: "140603", name: "平鲁区", relieved: true),
            County(code: "140602", name: "朔城区", relieved: false),
            County(code: "530402", name: "红塔区", relieved: false),
            County(code: "530428", name: "元江哈尼族彝族傣族自治县", relieved: true),
            County(code: "532901", name: "大理市", relieved: false),
            County(code: "532927", name: "巍山彝族回族自治县", relieved: true),
        ]
        let townshipsPerCounty = 4, villagesPerTownship = 5
        for index in counties.indices {
            let county = counties[index]
            let city = String(county.code.prefix(4)) + "00"
            regions.append("\(county.code),\(county.name),county,\(city),\(county.relieved)")
            for t in 1...townshipsPerCounty {
                let township = county.code + String(Self.format3(t))
                regions.append("\(township),示例\(t)乡（\(county.name)）,township,\(county.code),false")
                for v in 1...villagesPerTownship {
                    let village = township + String(Self.format3(200 + v))
                    let relieved = county.relieved ? v % 2 == 1 : v == 1
                    regions.append("\(village),示例\(t)乡\(v)村,village,\(township),\(relieved)")
                    counties[index].villages.append((village, relieved))
                }
            }
        }
        files.append((.regions, regions.joined(separator: "\n") + "\n"))
        var review = Review()
        files += Self.ledger(options, counties: counties, random: &random, review: &review)
        revisions = review.revisions.joined(separator: "\n") + "\n"
        statusUpdates = review.statusUpdates.joined(separator: "\n") + "\n"
        returns = review.returns
    }

    /// What the demo's review adds after the files: revised declarations and returns.
    struct Review {
        var revisions = ["credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,declared_ratio,declared_on"]
        var returns: [DemoReturn] = []
        var statusUpdates = ["credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of,"
                             + "supplier_name,supplier_credit_code,product"]
    }

    static func format3(_ n: Int) -> String {
        String(repeating: "0", count: max(0, 3 - String(n).count)) + String(n)
    }
}
