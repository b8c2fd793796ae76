import PostgresNIO
import SetasideCore

extension Store {
    /// What an order export's names are read against: the division tree (each region's
    /// code, name and parent) and every unit's credit code and name.
    public func orderExportNames() async throws -> (regions: [OriginNames.Region], units: [(creditCode: String, name: String)]) {
        try await transaction(readOnlySnapshot: true) { connection in
            var regions: [OriginNames.Region] = []
            for try await (code, name, parent) in try await connection.query(
                "SELECT code, name, parent_code FROM regions", logger: logger).decode((String, String, String?).self) {
                regions.append(OriginNames.Region(code: code, name: name, parent: parent))
            }
            var units: [(creditCode: String, name: String)] = []
            for try await (code, name) in try await connection.query(
                "SELECT credit_code, name FROM units", logger: logger).decode((String, String).self) {
                units.append((code, name))
            }
            return (regions, units)
        }
    }
}
