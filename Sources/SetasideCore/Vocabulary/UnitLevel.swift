/// The administrative level of a budget unit; it decides which packing figure it owes.
public enum UnitLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case province, city, district, county, township
}
