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

    /// The demo's files, by the name they are written under (`units.csv`…).
    public enum DemoFile: String, Sendable, CaseIterable, Hashable {
        case regions, units, declarations, assignments, agreements, purchases
        /// A second declarations file, imported after the others.
        case revisions = "declarations-revised"
        /// A later purchases export, imported after the others.
        case statusUpdates = "purchases-later"

        /// The files imported first, in order.
        public static let imports: [DemoFile] = [.regions, .units, .declarations, .assignments, .agreements, .purchases]

        /// What it is imported as.
        public var kind: ImportKind {
            switch self {
            case .regions: .regions
            case .units: .units
            case .declarations, .revisions: .declarations
            case .assignments: .assignments
            case .agreements: .agreements
            case .purchases, .statusUpdates: .purchases
            }
        }
    }

    struct County {
        var code: String
        var name: String
        var relieved: Bool
        var villages: [(code: String, relieved: Bool)] = []
    }

    public init(_ options: Options) {
        var lines: [DemoFile: [String]] = [:]
        returns = Self.generate(options) { lines[$0, default: []].append($1) }
        func text(_ file: DemoFile) -> String { (lines[file] ?? []).joined(separator: "\n") + "\n" }
        files = DemoFile.imports.map { ($0.kind, text($0)) }
        revisions = text(.revisions)
        statusUpdates = text(.statusUpdates)
    }

    /// Makes the data set line by line: each line goes to `emit` with the file it belongs
    /// to (each file's header first), so that a province of millions of purchases is
    /// written without being held. Returns the declarations an inspector sends back
    /// once the files are imported.
    public static func generate(_ options: Options, emit: (DemoFile, String) -> Void) -> [DemoReturn] {
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
        for line in regions { emit(.regions, line) }
        return Self.ledger(options, counties: counties, random: &random, emit: emit)
    }

    static func format3(_ n: Int) -> String {
        String(repeating: "0", count: max(0, 3 - String(n).count)) + String(n)
    }
}
