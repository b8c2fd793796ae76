extension DemoProvince {
    static let unitKinds = ["教育局", "人民医院", "第一中学", "财政局", "卫生健康局", "农业农村局", "实验小学", "机关事务服务中心"]
    static let festivals = ["springFestival", "dragonBoat", "midAutumn", "nationalDay"]

    /// Writes the units' files line by line through `emit` (each file's header first) and
    /// returns the declarations an inspector sends back.
    static func ledger(_ options: Options, counties: [County], random: inout SeededGenerator,
                       emit: (DemoFile, String) -> Void) -> [DemoReturn] {
        let year = options.year
        var returns: [DemoReturn] = []
        emit(.units, "credit_code,name,region_code,level,has_canteen,five_entries,assisting,parent_credit_code")
        // By county, its finance bureau (财政局): a supervising unit of a third of the
        // county's units that come after it.
        var bureau: [String: String] = [:]
        emit(.declarations, "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,has_canteen,"
                 + "union_purchase_need,declared_ratio,approved_ratio,approval_document,approved_by,approved_on,declared_on,"
                 + "canteen_mode,declared_by")
        emit(.assignments, "credit_code,village_code,year_from,year_to")
        emit(.agreements, "credit_code,village_code,valid_from,valid_to")
        let purchaseHeader = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of,"
            + "supplier_name,supplier_credit_code,product"
        emit(.purchases, purchaseHeader)
        emit(.revisions, "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,declared_ratio,declared_on")
        emit(.statusUpdates, purchaseHeader)
        let perUnit = max(1, options.purchases / max(1, options.units))
        let relievedCounties = counties.filter(\.relieved).map(\.code)
        let otherCounties = counties.filter { !$0.relieved }.map(\.code)

        // By county, the last unit that declared its own canteen: a shared canteen's
        // declaring unit for the next one there that shares.
        var previousOwn: [String: String] = [:]
        for index in 0..<options.units {
            let county = counties[index % counties.count]
            let code = creditCode(county: county.code, random: &random)
            let levelPick = index % 10
            let level = levelPick < 2 ? "city" : levelPick < 7 ? (county.code.hasPrefix("14") ? "district" : "county") : "township"
            let township = county.code + format3(1 + Int.random(in: 0..<4, using: &random))
            // A city-level unit sits in its city, not in the county whose villages it
            // assists: the county's packing and union rules reach it through them.
            let region = level == "township" ? township : level == "city" ? String(county.code.prefix(4)) + "00" : county.code
            let hasCanteen = Int.random(in: 0..<100, using: &random) < 85
            let fiveEntries = Int.random(in: 0..<100, using: &random) < 35
            let assisting = Int.random(in: 0..<100, using: &random) < (county.relieved ? 60 : 35)
            let name = "【示例】\(county.name)\(unitKinds[index % unitKinds.count])\(index + 1)"
            let isBureau = unitKinds[index % unitKinds.count] == "财政局"
            let parent = index % 3 == 0 && !isBureau ? bureau[county.code] ?? "" : ""
            emit(.units, "\(code),\(name),\(region),\(level),\(hasCanteen),\(fiveEntries),\(assisting),\(parent)")
            if isBureau { bureau[county.code] = code }

            // The year's plan; one unit in twenty forgets to declare. Most declare by the
            // 2024 deadline (20 February), one in ten later; half the units without a
            // canteen declare 无食堂; a few unions declare no purchase needs, and one unit in
            // fifty has a lower ratio approved (a waiver).
            let canteenTotal = Int64.random(in: 20_000_000...200_000_000, using: &random)   // fen
            let unionBudget = Int64.random(in: 5_000_000...30_000_000, using: &random)
            if Int.random(in: 0..<20, using: &random) != 0 {
                let ratio = Int64.random(in: 8...15, using: &random)
                let reserved = canteenTotal * ratio / 100
                let declaredOn = index % 10 == 3 ? "\(year)-03-05" : "\(year)-02-\(10 + index % 10)"
                let unionNeed = index % 25 == 11 ? "false" : ""
                let declarer = previousOwn.removeValue(forKey: county.code)
                if !hasCanteen && index % 2 == 0 {
                    emit(.declarations, "\(code),\(year),0,0,\(yuan(unionBudget)),false,\(unionNeed),,,,,,\(declaredOn),,")
                } else if index % 50 == 7 {
                    emit(.declarations, "\(code),\(year),\(yuan(canteenTotal)),\(yuan(reserved)),\(yuan(unionBudget)),,\(unionNeed),"
                                        + "\(ratio),8,示例财库函〔\(year)〕\(index + 1)号,省财政厅,\(year)-03-01,\(declaredOn),,")
                } else {
                    // One unit in 29 shares the canteen of a unit of its county declared
                    // before it, which declares for both (共用食堂); one in thirty has its
                    // canteen outsourced.
                    var mode = ",,"
                    if index % 29 == 4, hasCanteen, let declarer {
                        mode = ",shared,\(declarer)"
                    } else if index % 30 == 17 {
                        mode = ",outsourced,"
                    } else if hasCanteen {
                        previousOwn[county.code] = code
                    }
                    emit(.declarations, "\(code),\(year),\(yuan(canteenTotal)),\(yuan(reserved)),\(yuan(unionBudget)),,\(unionNeed),"
                                        + "\(ratio),,,,,\(declaredOn)\(mode)")
                    // Review, without drawing from `random` (the rest of the data stays
                    // as it was): one unit in forty corrects its reserve before the
                    // deadline (version 2), and every other of those has the correction
                    // returned (version 1 counts again); one in forty has its only
                    // version returned and has not declared again.
                    if index % 40 == 13 {
                        emit(.revisions, "\(code),\(year),\(yuan(canteenTotal)),\(yuan(canteenTotal * (ratio + 2) / 100)),"
                                                + "\(yuan(unionBudget)),\(ratio + 2),\(year)-02-19")
                        if index % 80 == 53 {
                            returns.append(DemoReturn(creditCode: code, year: year,
                                                             reason: "更正后的预留份额缺少依据，请附说明后重新填报"))
                        }
                    } else if index % 40 == 27 {
                        returns.append(DemoReturn(creditCode: code, year: year,
                                                         reason: "预留份额与食堂食材采购总额不符，请核实后重新填报"))
                    }
                }
            }
            let relievedVillages = county.villages.filter(\.relieved).map(\.code)
            let villages = relievedVillages.isEmpty ? county.villages.map(\.code) : relievedVillages
            let assisted = Array(villages.shuffled(using: &random).prefix(2))
            if assisting {
                for village in assisted { emit(.assignments, "\(code),\(village),\(year - 2),\(year + 1)") }
            }
            let partners = Array(villages.shuffled(using: &random).prefix(2))
            if fiveEntries {
                for village in partners { emit(.agreements, "\(code),\(village),\(year)-01-01,\(year)-12-31") }
            }

            // Each unit leans somewhere between clearly short and clearly compliant.
            let share = Int64.random(in: 5...16, using: &random)          // % of canteen food via 832
            let directedShare = Int64.random(in: 10...30, using: &random)  // % directed from partner villages
            let unionShare = Int64.random(in: 15...45, using: &random)     // % of the union budget
            var orders = 0
            func add(_ channel: String, _ category: String, _ origin: String, _ amount: Int64,
                     festival: String = "", status: String? = nil) {
                orders += 1
                let orderNo = "DEMO\(year)-\(format5(index + 1))-\(format5(orders))"
                let month = Int.random(in: 1...12, using: &random), day = Int.random(in: 1...28, using: &random)
                let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
                let roll = Int.random(in: 0..<100, using: &random)
                // Unpaid orders (待付款) are stored and never counted.
                let state = status ?? (roll < 3 ? "cancelled" : roll < 5 ? "refunded" : roll < 6 ? "pending" : "completed")
                // One order in fifty names its supplier and goods.
                let supplier = orders % 50 == 1 ? "示例\(origin)合作社,,\(category == "packing" ? "小米" : "农副产品")" : ",,"
                emit(.purchases, "\(code),\(orderNo),\(date),\(channel),\(category),\(origin),\(yuan(amount)),\(state),\(festival),,\(supplier)")
                // One completed order in a hundred is partly reversed (红字冲销).
                if state == "completed", Int.random(in: 0..<100, using: &random) == 0, amount > 100 {
                    orders += 1
                    let back = Int64.random(in: 1...(amount / 2), using: &random)
                    emit(.purchases, "\(code),\(orderNo)-R,\(date),\(channel),\(category),\(origin),-\(yuan(back)),completed,\(festival),\(orderNo),\(supplier)")
                } else if state == "completed", status == nil, orders % 200 == 7 {
                    // The platform's later export: one completed order in two hundred (not
                    // partly reversed) was refunded whole since.
                    emit(.statusUpdates, "\(code),\(orderNo),\(date),\(channel),\(category),\(origin),\(yuan(amount)),refunded,\(festival),,\(supplier)")
                }
                // …and every other unpaid order has been paid: a status change each.
                if state == "pending", orders % 2 == 0 {
                    emit(.statusUpdates, "\(code),\(orderNo),\(date),\(channel),\(category),\(origin),\(yuan(amount)),completed,\(festival),,\(supplier)")
                }
            }
            var budget = perUnit
            if assisting {
                let packingTotal = Int64.random(in: 500_000...4_000_000, using: &random)
                for village in assisted { add("directed", "packing", village, packingTotal / Int64(assisted.count), status: "completed") }
                budget -= assisted.count
                let unionOrders = 3
                for _ in 0..<unionOrders {
                    let origin = relievedCounties.randomElement(using: &random)!
                    add("platform832", "unionWelfare", origin, unionBudget * unionShare / 100 / Int64(unionOrders), status: "completed")
                }
                budget -= unionOrders
            }
            let festivalCount = Int.random(in: 0...3, using: &random)
            for festival in festivals.prefix(festivalCount) {
                let channel = Bool.random(using: &random) ? "platform832" : "localPlatform"
                add(channel, "unionFestival", relievedCounties.randomElement(using: &random)!,
                    Int64.random(in: 200_000...2_000_000, using: &random), festival: festival, status: "completed")
            }
            budget -= festivalCount
            let directedOrders = fiveEntries ? 4 : 0
            for _ in 0..<directedOrders {
                add("directed", "canteenFood", partners.randomElement(using: &random)!,
                    canteenTotal * directedShare / 100 / Int64(directedOrders), status: "completed")
            }
            budget -= directedOrders
            let canteenOrders = max(1, budget)
            for _ in 0..<canteenOrders {
                let amount = max(100, canteenTotal / Int64(canteenOrders) * Int64.random(in: 50...150, using: &random) / 100)
                if Int64.random(in: 0..<100, using: &random) < share {
                    add("platform832", "canteenFood", relievedCounties.randomElement(using: &random)!, amount)
                } else {
                    let channel = ["other", "localPlatform", "platform832"].randomElement(using: &random)!
                    add(channel, "canteenFood", otherCounties.randomElement(using: &random)!, amount)
                }
            }
        }
        return returns
    }

    /// A synthetic unified social credit code of a public institution (12…) registered
    /// in `county`, with a correct check character.
    static func creditCode(county: String, random: inout SeededGenerator) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var first17 = "12" + county
        for _ in 0..<9 { first17.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)]) }
        return first17 + String(CreditCode.checkCharacter(forFirst17: first17)!)
    }

    static func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanString }

    static func format5(_ n: Int) -> String {
        String(repeating: "0", count: max(0, 5 - String(n).count)) + String(n)
    }
}
