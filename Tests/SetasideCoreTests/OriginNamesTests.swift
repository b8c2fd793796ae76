import SetasideCore
import Testing

/// Origins by name (issue 13): full paths, parts of them, a county's name alone, the
/// notices' abbreviations, codes; an ambiguous name names its candidates.
@Suite struct OriginNamesTests {
    static let names = OriginNames([
        .init(code: "530000", name: "云南省", parent: nil),
        .init(code: "532900", name: "大理白族自治州", parent: "530000"),
        .init(code: "532922", name: "漾濞彝族自治县", parent: "532900"),
        .init(code: "532901", name: "大理市", parent: "532900"),
        .init(code: "530400", name: "玉溪市", parent: "530000"),
        .init(code: "530428", name: "元江哈尼族彝族傣族自治县", parent: "530400"),
        .init(code: "140000", name: "山西省", parent: nil),
        .init(code: "140600", name: "朔州市", parent: "140000"),
        .init(code: "140603", name: "平鲁区", parent: "140600"),
        .init(code: "530411", name: "平鲁区", parent: "530400"),
    ])

    @Test func autonomousNamesAreAbbreviatedAsNoticesDo() {
        #expect(OriginNames.aliases(of: "大理白族自治州") == ["大理白族自治州", "大理白族", "大理", "大理州"])
        #expect(OriginNames.aliases(of: "漾濞彝族自治县").isSuperset(of: ["漾濞县", "漾濞"]))
        #expect(OriginNames.aliases(of: "元江哈尼族彝族傣族自治县").contains("元江县"))
        #expect(OriginNames.aliases(of: "平鲁区") == ["平鲁区", "平鲁"])
    }

    @Test func aNameFindsItsRegionWhateverPartOfThePathItGives() {
        for text in ["云南省大理白族自治州漾濞彝族自治县", "大理州漾濞县", "漾濞县", "漾濞", "云南漾濞县", "大理白族自治州 漾濞彝族自治县", "532922"] {
            #expect(Self.names.match(text) == .found("532922"), "\(text)")
        }
        #expect(Self.names.match("元江县") == .found("530428"))
        #expect(Self.names.match("大理市") == .found("532901"))
        #expect(Self.names.match("山西省平鲁区") == .found("140603"))
        #expect(Self.names.match("玉溪市平鲁区") == .found("530411"))
    }

    @Test func anAmbiguousOrUnknownNameIsNotGuessed() {
        guard case .ambiguous(let candidates) = Self.names.match("平鲁区") else {
            Issue.record("平鲁区 is in two cities")
            return
        }
        #expect(candidates.map(\.code) == ["140603", "530411"])
        #expect(candidates.map(\.path) == ["山西省朔州市平鲁区", "云南省玉溪市平鲁区"])
        #expect(Self.names.match("大理") != .found("532900"))   // the prefecture or its city
        #expect(Self.names.match("漾濞县大理州") == .unknown)      // levels out of order
        #expect(Self.names.match("西双版纳") == .unknown)
        #expect(Self.names.match("999999") == .unknown)
    }
}
