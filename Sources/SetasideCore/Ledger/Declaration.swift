/// A unit's declared plan for one year, as the 832 platform's declaration form asks it.
public struct Declaration: Sendable, Hashable {
    public var year: Int
    /// 食堂食材采购总额: the declared canteen food procurement total.
    public var canteenFoodTotal: Money
    /// 预留份额: the amount set aside for poverty-area products.
    public var reservedAmount: Money
    /// The trade union's welfare budget, the base of the union rule.
    public var unionWelfareBudget: Money
    /// 有食堂 / 无食堂 that year; nil leaves the unit's own flag in force. A 无食堂
    /// declaration owes no reservation that year.
    public var hasCanteen: Bool?
    /// How the canteen is run; nil: not said (its own).
    public var canteenMode: CanteenMode?
    /// For a shared canteen (共用食堂): the credit code of the unit that declares for the
    /// group; set with `canteenMode` `shared` only.
    public var declaredBy: String?
    /// 是否有工会采购需求; nil means it has (a file or request that does not say).
    public var unionPurchaseNeed: Bool?
    /// The share the unit commits to, in basis points; a ratio below the required one is
    /// noted, not refused.
    public var declaredBasisPoints: Int?
    /// An approved lower ratio for the canteen rule.
    public var waiver: Waiver?
    /// The day it was declared, when known: after the pack-year's deadline it is late.
    public var declaredOn: CalendarDate?

    public init(year: Int, canteenFoodTotal: Money, reservedAmount: Money, unionWelfareBudget: Money,
                hasCanteen: Bool? = nil, unionPurchaseNeed: Bool? = nil, declaredBasisPoints: Int? = nil,
                waiver: Waiver? = nil, declaredOn: CalendarDate? = nil) {
        self.year = year
        self.canteenFoodTotal = canteenFoodTotal
        self.reservedAmount = reservedAmount
        self.unionWelfareBudget = unionWelfareBudget
        self.hasCanteen = hasCanteen
        self.unionPurchaseNeed = unionPurchaseNeed
        self.declaredBasisPoints = declaredBasisPoints
        self.waiver = waiver
        self.declaredOn = declaredOn
    }

    /// A file's columns and a request's fields beyond the three figures, as one set of
    /// optional values decoded by its source: the checks across them live here once.
    public struct Details: Sendable, Hashable {
        public var hasCanteen: Bool?
        public var canteenMode: CanteenMode?
        public var declaredBy: String?
        public var unionPurchaseNeed: Bool?
        public var declaredBasisPoints: Int?
        public var approvedBasisPoints: Int?
        public var approvalDocument: String?
        public var approvedBy: String?
        public var approvedOn: CalendarDate?
        public var declaredOn: CalendarDate?

        public init() {}

        /// Problems (by file column name) of values that go together: an approved ratio
        /// needs its document and the document its ratio; who and when belong to an
        /// approval.
        public var problems: [(column: String, reason: String)] {
            var found: [(String, String)] = []
            if canteenMode == .shared, declaredBy == nil {
                found.append(("declared_by", "is required with canteen_mode shared: the credit code of the unit that declares for the group"))
            }
            if canteenMode != .shared, declaredBy != nil {
                found.append(("canteen_mode", "must be shared when declared_by is given (共用食堂，由 declared_by 填报)"))
            }
            if hasCanteen == false, let canteenMode {
                found.append(("canteen_mode", "is \(canteenMode.rawValue), but has_canteen is false (无食堂): a unit without a canteen has no canteen mode"))
            }
            if approvedBasisPoints != nil, approvalDocument == nil {
                found.append(("approval_document", "is required with approved_ratio: a waiver is shown with its document"))
            }
            if approvedBasisPoints == nil, approvalDocument != nil || approvedBy != nil || approvedOn != nil {
                found.append(("approved_ratio", "is required with approval_document, approved_by or approved_on"))
            }
            return found
        }

        /// The waiver these values describe, if any (only when `problems` is empty).
        public var waiver: Waiver? {
            guard let approvedBasisPoints, let approvalDocument else { return nil }
            return Waiver(basisPoints: approvedBasisPoints, document: approvalDocument, approvedBy: approvedBy,
                          approvedOn: approvedOn)
        }
    }

    /// The declaration with `details` applied.
    public func with(_ details: Details) -> Declaration {
        var copy = self
        copy.hasCanteen = details.hasCanteen
        copy.canteenMode = details.canteenMode
        copy.declaredBy = details.declaredBy
        copy.unionPurchaseNeed = details.unionPurchaseNeed
        copy.declaredBasisPoints = details.declaredBasisPoints
        copy.waiver = details.waiver
        copy.declaredOn = details.declaredOn
        return copy
    }
}
