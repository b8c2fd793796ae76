import SetasideCore
import SetasideStore

/// The JSON of each resource, written by hand so keys keep the documented order and
/// money stays a string of yuan.
enum Views {
    static func s(_ text: String) -> String { JSONText.string(text) }
    static func o(_ text: String?) -> String { JSONText.optional(text) }

    static func purchase(_ p: Purchase) -> String {
        "{\"id\": \(p.id), \"creditCode\": \(s(p.creditCode.text)), \"orderNo\": \(s(p.orderNo)), "
            + "\"orderDate\": \(s(p.orderDate.iso)), \"channel\": \(s(p.channel.rawValue)), "
            + "\"category\": \(s(p.category.rawValue)), \"originCode\": \(s(p.originCode.text)), "
            + "\"amount\": \(s(p.amount.yuanString)), \"status\": \(s(p.status.rawValue)), "
            + "\"festival\": \(o(p.festival)), \"reversalOf\": \(o(p.reversalOf)), \"counted\": \(p.counted), "
            + "\"supplierName\": \(o(p.record.supplierName)), \"supplierCreditCode\": \(o(p.record.supplierCreditCode?.text)), "
            + "\"product\": \(o(p.record.product)), \"storedStatus\": \(s(p.storedStatus.rawValue)), "
            + "\"history\": [\(p.history.map(\.json).joined(separator: ", "))]}"
    }

    static func unit(_ u: UnitRecordView) -> String {
        let p = u.profile
        return "{\"creditCode\": \(s(p.creditCode)), \"name\": \(s(p.name)), \"regionCode\": \(s(p.regionCode)), "
            + "\"level\": \(s(p.level.rawValue)), \"hasCanteen\": \(p.hasCanteen), \"fiveEntries\": \(p.fiveEntries), "
            + "\"assisting\": \(p.assisting), \"checkCharacterValid\": \(u.checkCharacterValid)}"
    }

    static func region(_ r: RegionView) -> String {
        "{\"code\": \(s(r.code)), \"name\": \(s(r.name)), \"level\": \(s(r.level)), "
            + "\"parentCode\": \(o(r.parentCode)), \"povertyRelieved\": \(r.povertyRelieved)}"
    }

    /// A unit-year's declarations: the keys of the version that counts (the latest not
    /// returned; else the latest), `counted` (its number, null when every version was
    /// returned), `latestVersion`, `latestReturned` (the return of the latest when it
    /// was sent back: the unit has to declare again) and `history`, every version oldest
    /// first. Nil when the year has none.
    static func declaration(_ history: DeclarationHistory, creditCode: String) -> String? {
        guard let shown = history.counted ?? history.latest else { return nil }
        let versions = history.versions.map { "{" + declarationVersionFields($0) + "}" }
        return "{\"creditCode\": \(s(creditCode)), \"year\": \(shown.declaration.year), " + declarationVersionFields(shown)
            + ", \"counted\": \(history.counted?.version.description ?? "null")"
            + ", \"latestVersion\": \(history.latest?.version ?? shown.version)"
            + ", \"latestReturned\": \(history.isReturned ? history.latest?.returned?.json ?? "null" : "null")"
            + ", \"history\": [\(versions.joined(separator: ", "))]}"
    }

    /// The keys of one version: its figures and details, then `version`, `storedAt`,
    /// `storedBy` and its own `returned` (null unless it was sent back).
    static func declarationVersionFields(_ v: DeclarationVersion) -> String {
        let d = v.declaration
        return "\"canteenFoodTotal\": \(s(d.canteenFoodTotal.yuanString)), "
            + "\"reservedAmount\": \(s(d.reservedAmount.yuanString)), "
            + "\"unionWelfareBudget\": \(s(d.unionWelfareBudget.yuanString)), "
            + "\"hasCanteen\": \(d.hasCanteen.map(String.init) ?? "null"), "
            + "\"canteenMode\": \(o(d.canteenMode?.rawValue)), \"declaredBy\": \(o(d.declaredBy)), "
            + "\"unionPurchaseNeed\": \(d.unionPurchaseNeed.map(String.init) ?? "null"), "
            + "\"declaredRatio\": \(o(d.declaredBasisPoints.map { Ratio.text(basisPoints: $0) })), "
            + "\"waiver\": \(d.waiver?.json ?? "null"), \"declaredOn\": \(o(d.declaredOn?.iso)), "
            + "\"version\": \(v.version), \"storedAt\": \(o(v.storedAt)), \"storedBy\": \(o(v.storedBy)), "
            + "\"returned\": \(v.returned?.json ?? "null")"
    }

    static func pack(_ pack: PolicyPack) -> String {
        let rules = pack.rules.map { "{\"rule\": \(s($0.id)), \"name\": \(s($0.name)), \"parameters\": \($0.parametersJSON)}" }
        return "{\"id\": \(s(pack.id)), \"title\": \(s(pack.title)), \"jurisdiction\": \(s(pack.jurisdiction.text)), "
            + "\"yearFrom\": \(pack.yearFrom), \"yearTo\": \(pack.yearTo.map(String.init) ?? "null"), "
            + "\"source\": \(s(pack.source)), \"rules\": [\(rules.joined(separator: ", "))]}"
    }

    static func finding(_ f: FindingView) -> String {
        "{\"id\": \(f.id), \"purchaseId\": \(f.purchaseID), \"verdict\": \(s(f.verdict)), \"reason\": \(s(f.reason)), "
            + "\"inspector\": \(s(f.inspector)), \"recordedAt\": \(s(f.recordedAt))}"
    }

    /// An assignment (`yearFrom`, `yearTo`: whole numbers) or an agreement (`validFrom`,
    /// `validTo`: days).
    static func link<Bound: JSONLinkBound>(_ l: VillageLink<Bound>) -> String {
        let kind = Bound.linkKind
        return "{\"villageCode\": \(s(l.villageCode.text)), \(s(kind.jsonFrom)): \(l.from.json), \(s(kind.jsonTo)): \(l.to.json)}"
    }

    static func list(_ items: [String], key: String = "items", next: String? = nil) -> String {
        "{\"\(key)\": [" + items.joined(separator: ", ") + "], \"nextCursor\": \(o(next))}"
    }
}
