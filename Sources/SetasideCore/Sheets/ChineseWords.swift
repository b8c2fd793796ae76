/// The Chinese words of the files made for offices (the assessment workbook, the
/// notice): statuses, declaration states, levels. One place, so that a sheet and its CSV
/// say the same.
public enum ChineseWords {
    public static func status(_ status: RuleStatus) -> String {
        switch status {
        case .met: "达标"
        case .short: "未达标"
        case .notApplicable: "不适用"
        }
    }

    public static func declaration(_ state: DeclarationState) -> String {
        switch state {
        case .declared: "已申报"
        case .late: "逾期申报"
        case .missing: "未申报"
        case .noCanteen: "无食堂"
        case .sharedBy: "共用食堂（他单位申报）"
        case .returned: "已退回"
        }
    }

    public static func level(_ level: UnitLevel?) -> String {
        switch level {
        case .province?: "省级"
        case .city?: "市级"
        case .district?: "区级"
        case .county?: "县级"
        case .township?: "乡镇级"
        case nil: ""
        }
    }

    /// A division's level as stored (`province`, `city`, `county`…).
    public static func regionLevel(_ level: String?) -> String {
        switch level {
        case "country": "全国"
        case "province": "省"
        case "city": "市"
        case "county": "县"
        case "township": "乡镇"
        case "village": "村"
        default: level ?? ""
        }
    }

    public static func kind(_ kind: RuleKind) -> String {
        switch kind {
        case .canteenShare: "食堂份额"
        case .directedShare: "定向采购份额"
        case .unionShare: "工会福利份额"
        case .festivals: "节日慰问"
        case .packing: "包销"
        }
    }

    public static func strength(_ strength: RuleStrength) -> String {
        switch strength {
        case .required: "约束性"
        case .encouraged: "鼓励性"
        }
    }
}
