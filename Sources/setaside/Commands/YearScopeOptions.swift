import ArgumentParser
import Foundation
import SetasideCore
import SetasideStore

/// The year, region and day of an assessment, a snapshot or a notice.
struct YearScopeOptions: ParsableArguments {
    @Option(help: "The calendar year assessed.")
    var year: Int

    @Option(help: ArgumentHelp("The region and everything under it (a division code); default: every unit.",
                               valueName: "code"))
    var region: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The day the figures are taken on (default: today in China's time).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    func validate() throws {
        do {
            _ = try Year(year)
            if let region { _ = try DivisionCode(parsing: region) }
            if let asOf { _ = try CalendarDate(parsingISO: asOf) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The scope asked for: the day given, else today in China's time.
    func reportScope() throws -> ReportScope {
        ReportScope(year: year, region: try region.map { try DivisionCode(parsing: $0).text },
                    asOf: try asOf.map { try CalendarDate(parsingISO: $0) }
                        ?? CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970)))
    }
}
