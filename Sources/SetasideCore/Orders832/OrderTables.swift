/// The data tables of order exports (`Sources/SetasideCore/Data/*.csv`, embedded at
/// build time and listed in docs/formats.md): which headers name which field, which
/// status words mean what, which purpose words name which category, and the nationality
/// names a notice drops from an autonomous prefecture's or county's name.
public enum OrderTables {
    /// Header → field (`订单编号` → `.orderNo`).
    public static let headers: [String: OrderField] = Dictionary(
        rows("order-headers.csv").compactMap { row in OrderField(rawValue: row[0]).map { (row[1], $0) } },
        uniquingKeysWith: { first, _ in first })

    /// Status word → what it means (`交易成功` → `.completed`).
    public static let statuses: [String: OrderStatusWord] = Dictionary(
        rows("order-statuses.csv").compactMap { row in OrderStatusWord(rawValue: row[1]).map { (row[0], $0) } },
        uniquingKeysWith: { first, _ in first })

    /// Purpose word → category (`工会福利` → `.unionWelfare`).
    public static let categories: [String: PurchaseCategory] = Dictionary(
        rows("order-categories.csv").compactMap { row in PurchaseCategory(rawValue: row[1]).map { (row[0], $0) } },
        uniquingKeysWith: { first, _ in first })

    /// The category and festival a purpose word names that is not in the table: a
    /// festival's gifts written as the festival and 慰问 (`春节慰问`, `中秋节慰问品`,
    /// `古尔邦节慰问`) are union festival gifts for that festival. Nil for any other word.
    public static func festivalPurpose(_ word: String) -> String? {
        for suffix in ["慰问品", "慰问"] where word.hasSuffix(suffix) {
            let name = String(word.dropLast(suffix.count))
            guard !name.isEmpty, let festival = Festival.normalize(name) else { return nil }
            // A known festival, or a regional one written with its 节.
            return Festival.name(of: festival) != nil || name.hasSuffix("节") ? festival : nil
        }
        return nil
    }

    /// The 55 minority nationalities' names (`白族`…), and `各族`.
    public static let nationalities: [String] = rows("nationalities.csv").map { $0[0] }

    /// The rows of the embedded table `name`, its header line left out; each row's
    /// fields split at commas (the tables hold no quoted fields).
    static func rows(_ name: String) -> [[String]] {
        guard let text = EmbeddedData.files.first(where: { $0.name == name })?.text else { return [] }
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
        }.filter { !($0.first ?? "").isEmpty }
    }
}

/// A field of an order export, as the header table names it.
public enum OrderField: String, Sendable, CaseIterable, Hashable {
    case orderNo, orderTime, buyer, supplier, product, origin, amountPaid, orderAmount, refundAmount, status, category, festival
}

/// What an order export's status word means.
public enum OrderStatusWord: String, Sendable, Hashable {
    case pending, completed, cancelled, refunded
    /// 部分退款: the order completed, and the refund amount reversed.
    case partlyRefunded
}
