/// The kinds of file `setaside import` reads, with their columns (docs/formats.md).
public enum ImportKind: String, Sendable, CaseIterable {
    case regions, units, declarations, assignments, agreements, purchases

    /// The columns of the kind's CSV header, all required, in any order.
    public var columns: [String] {
        switch self {
        case .regions: ["code", "name", "level", "parent_code", "poverty_relieved"]
        case .units: ["credit_code", "name", "region_code", "level", "has_canteen", "five_entries", "assisting"]
        case .declarations: ["credit_code", "year", "canteen_food_total", "reserved_amount", "union_welfare_budget"]
        case .assignments: ["credit_code", "village_code", "year_from", "year_to"]
        case .agreements: ["credit_code", "village_code", "valid_from", "valid_to"]
        case .purchases:
            ["credit_code", "order_no", "order_date", "channel", "category", "origin_code",
             "amount", "status", "festival", "reversal_of"]
        }
    }

    /// The columns a file of the kind may add (an old file without them keeps working).
    public var optionalColumns: [String] {
        switch self {
        case .purchases: ["supplier_name", "supplier_credit_code", "product"]
        case .declarations:
            ["has_canteen", "canteen_mode", "declared_by", "union_purchase_need", "declared_ratio", "approved_ratio",
             "approval_document", "approved_by", "approved_on", "declared_on"]
        case .units: ["parent_credit_code"]
        case .regions, .assignments, .agreements: []
        }
    }

    /// The kinds a file of this kind refers to, which must be imported first.
    public var prerequisites: [ImportKind] {
        switch self {
        case .regions: []
        case .units: [.regions]
        case .declarations: [.units]
        case .assignments, .agreements, .purchases: [.units, .regions]
        }
    }
}
