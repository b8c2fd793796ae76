/// A schema change: one file of `sql/`, carried in the binary.
public struct Migration: Sendable, Hashable {
    /// The file name, e.g. `0001_regions_units.sql`; migrations apply in name order.
    public let name: String
    public let sql: String

    /// The migrations this binary carries, in order.
    public static let all: [Migration] = EmbeddedSQL.files
        .map { Migration(name: $0.name, sql: $0.text) }
        .sorted { $0.name < $1.name }
}
