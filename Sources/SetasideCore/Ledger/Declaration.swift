/// A unit's declared plan for one year.
public struct Declaration: Sendable, Hashable {
    public var year: Int
    /// 食堂食材采购总额: the declared canteen food procurement total.
    public var canteenFoodTotal: Money
    /// 预留份额: the amount set aside for poverty-area products.
    public var reservedAmount: Money
    /// The trade union's welfare budget, the base of the union rule.
    public var unionWelfareBudget: Money

    public init(year: Int, canteenFoodTotal: Money, reservedAmount: Money, unionWelfareBudget: Money) {
        self.year = year
        self.canteenFoodTotal = canteenFoodTotal
        self.reservedAmount = reservedAmount
        self.unionWelfareBudget = unionWelfareBudget
    }
}
