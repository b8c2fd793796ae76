/// Finds the region an order export names as a product's origin (产地): a division code,
/// or a name as exports and notices write it: the full path (`云南省大理白族自治州漾濞彝族自治县`),
/// part of it (`大理州漾濞县`), or a county's name alone when no other region bears it
/// (`漾濞县`, `漾濞`). A name may drop its suffix (省 市 州 县 区…), and an autonomous
/// prefecture's or county's name its nationalities (`大理白族自治州` → `大理州`,
/// `漾濞彝族自治县` → `漾濞县`).
public struct OriginNames: Sendable {
    /// A region of the imported tree.
    public struct Region: Sendable, Hashable {
        public var code: String
        public var name: String
        public var parent: String?

        public init(code: String, name: String, parent: String?) {
            self.code = code
            self.name = name
            self.parent = parent
        }
    }

    /// What a name matched.
    public enum Match: Sendable, Hashable {
        case found(String)
        /// Several regions fit: each by code and full name.
        case ambiguous([(code: String, path: String)])
        case unknown

        public static func == (lhs: Match, rhs: Match) -> Bool {
            switch (lhs, rhs) {
            case (.found(let a), .found(let b)): a == b
            case (.unknown, .unknown): true
            case (.ambiguous(let a), .ambiguous(let b)): a.map(\.code) == b.map(\.code)
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .found(let code): hasher.combine(code)
            case .ambiguous(let list): hasher.combine(list.map(\.code))
            case .unknown: hasher.combine(0)
            }
        }
    }

    let regions: [String: Region]
    /// Every name a region answers to → the regions answering to it.
    let byAlias: [String: [String]]
    /// Each region's names, worked out once (a million rows' origins read them again and again).
    let aliasesByCode: [String: Set<String>]
    let longestAlias: Int

    public init(_ regions: [Region]) {
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var byAlias: [String: [String]] = [:], aliasesByCode: [String: Set<String>] = [:]
        for region in regions {
            let aliases = Self.aliases(of: region.name)
            aliasesByCode[region.code] = aliases
            for alias in aliases { byAlias[alias, default: []].append(region.code) }
        }
        self.byAlias = byAlias
        self.aliasesByCode = aliasesByCode
        longestAlias = byAlias.keys.map(\.count).max() ?? 0
    }

    /// The names a region answers to: its name; without its suffix; an autonomous
    /// prefecture's, county's or region's name without its nationalities, with and
    /// without 州/县. Two characters at least.
    public static func aliases(of name: String) -> Set<String> {
        var out: Set<String> = [name]
        for suffix in ["自治区", "自治州", "自治县", "自治旗", "特别行政区", "地区", "省", "市", "州", "县", "区", "盟", "旗"]
        where name.hasSuffix(suffix) {
            let stem = String(name.dropLast(suffix.count))
            if stem.count >= 2 { out.insert(stem) }
            if suffix.hasPrefix("自治") {
                var place = Substring(stem)
                var stripped = true
                while stripped {
                    stripped = false
                    for nationality in OrderTables.nationalities where place.hasSuffix(nationality) && place.count > nationality.count {
                        place = place.dropLast(nationality.count)
                        stripped = true
                    }
                }
                if place.count >= 2, place != Substring(stem) {
                    out.insert(String(place))
                    if let short = suffix.last.map(String.init), short != "区" { out.insert(String(place) + short) }
                }
            }
            break
        }
        return out.filter { $0.count >= 2 }
    }

    /// The region `text` names (spaces ignored), if exactly one fits.
    public func match(_ text: String) -> Match {
        let name = String(text.filter { !$0.isWhitespace })
        if let code = try? DivisionCode(parsing: name) {
            return regions[code.text] != nil ? .found(code.text) : .unknown
        }
        guard !name.isEmpty else { return .unknown }
        // Every region one of whose names ends the text, and whose ancestors' names make
        // up the rest of it, nearest first (levels may be left out, not reordered).
        var fits: [String] = []
        for length in stride(from: min(longestAlias, name.count), through: 2, by: -1) {
            let rest = name.dropLast(length)
            for code in byAlias[String(name.suffix(length))] ?? [] where !fits.contains(code) {
                if prefixFits(rest, ancestors: ancestors(of: code)[...]) { fits.append(code) }
            }
        }
        switch fits.count {
        case 0: return .unknown
        case 1: return .found(fits[0])
        default: return .ambiguous(fits.sorted().map { ($0, path(of: $0)) })
        }
    }

    /// Whether `prefix` is made of names of `ancestors` (nearest first), in order from the
    /// top, leaving levels out.
    func prefixFits(_ prefix: Substring, ancestors: ArraySlice<String>) -> Bool {
        if prefix.isEmpty { return true }
        for index in ancestors.indices {
            for alias in aliasesByCode[ancestors[index]] ?? [] where prefix.hasSuffix(alias) {
                if prefixFits(prefix.dropLast(alias.count), ancestors: ancestors[(index + 1)...]) { return true }
            }
        }
        return false
    }

    /// The region's ancestors, its parent first.
    func ancestors(of code: String) -> [String] {
        var out: [String] = [], current = regions[code]?.parent
        while let code = current, out.count < 16, let region = regions[code] {
            out.append(code)
            current = region.parent
        }
        return out
    }

    /// The region's full name, from its province (`云南省大理白族自治州漾濞彝族自治县`).
    public func path(of code: String) -> String {
        (ancestors(of: code).reversed() + [code]).filter { $0 != DivisionCode.country.text }
            .compactMap { regions[$0]?.name }.joined()
    }
}
