/// The festivals a trade union buys gifts for. Regions add their own (e.g. 古尔邦节)
/// as data, so a festival is an open identifier; these are the ones everyone knows.
public enum Festival {
    /// Identifier and Chinese name of the nationally known festivals.
    public static let known: [(id: String, name: String)] = [
        ("newYear", "元旦"), ("springFestival", "春节"), ("qingming", "清明"),
        ("labourDay", "劳动节"), ("dragonBoat", "端午"), ("midAutumn", "中秋"),
        ("nationalDay", "国庆"),
    ]

    /// The Chinese name of a known festival, or nil for a regional one.
    public static func name(of id: String) -> String? {
        known.first { $0.id == id }?.name
    }

    /// The identifier to store for a festival written as its identifier or its
    /// Chinese name (`春节` → `springFestival`); a regional festival is kept as written.
    /// Nil when the text cannot name a festival (empty, too long, control characters).
    /// Known festivals are matched loosely, so one festival is never counted twice:
    /// identifiers ignore case, and a Chinese name may carry a trailing 节 (中秋节 = 中秋).
    public static func normalize(_ text: String) -> String? {
        let lowered = text.lowercased()
        func stem(_ name: String) -> String { name.hasSuffix("节") && name.count > 2 ? String(name.dropLast()) : name }
        if let known = known.first(where: { $0.id.lowercased() == lowered || stem($0.name) == stem(text) }) {
            return known.id
        }
        guard !text.isEmpty, text.count <= 32,
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return text
    }
}
