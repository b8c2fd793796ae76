import ArgumentParser
import SetasideCore
import SetasideOperations

/// A unit-year's declaration: its versions, and its return (退回) by a reviewer.
struct DeclarationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declaration",
        abstract: "Show a unit's yearly declaration with every version, or return it to the unit.",
        discussion: """
            A declaration is never edited: declaring other content (a declarations file, \
            PUT /api/v1/units/{creditCode}/declarations/{year}) stores a new version. The \
            version that counts is the latest one that was not returned.
            """,
        subcommands: [Show.self, Return.self],
        defaultSubcommand: Show.self)

    /// The unit and the year a subcommand acts on.
    struct UnitYear: ParsableArguments {
        @Argument(help: ArgumentHelp("The unit's unified social credit code.", valueName: "credit-code"))
        var creditCode: String

        @Argument(help: "The year declared (YYYY).")
        var year: String

        func validate() throws {
            do {
                _ = try CreditCode(parsing: creditCode)
                _ = try Year(parsing: year)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        var yearValue: Int { Int(year) ?? 0 }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every version of a unit's declaration for a year, and which one counts.",
            discussion: "Example: setaside declaration show 91140603MB1234567X 2024")

        @OptionGroup var unitYear: UnitYear
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (code, year, caller) = (unitYear.creditCode, unitYear.yearValue, connection.caller)
            let history = try await connection.withOperations {
                try await $0.declarationHistory(of: code, year: year, by: caller)
            }
            guard !history.versions.isEmpty else { throw ValidationError("\(code) has no declaration for \(year)") }
            print(Self.render(history), terminator: "")
        }

        static func render(_ history: DeclarationHistory) -> String {
            let rows = history.versions.map { v -> [String] in
                let d = v.declaration
                let canteen = d.hasCanteen.map { $0 ? "有食堂" : "无食堂" } ?? ""
                return [String(v.version), v.storedAt ?? "", v.storedBy ?? "", d.declaredOn?.iso ?? "",
                        d.canteenFoodTotal.yuanString, d.reservedAmount.yuanString, d.unionWelfareBudget.yuanString, canteen,
                        d.declaredBasisPoints.map { Ratio.text(basisPoints: $0) + "%" } ?? "",
                        d.waiver.map { "\(Ratio.text(basisPoints: $0.basisPoints))% \($0.document)" } ?? "",
                        v.returned.map { "returned \($0.returnedAt) by \($0.returnedBy): \($0.reason)" } ?? ""]
            }
            var text = TextTable(header: ["version", "stored at", "by", "declared on", "canteen food", "reserved",
                                          "union budget", "canteen", "ratio", "waiver", "review"], rows: rows).render()
            if let counted = history.counted {
                text += "counts: version \(counted.version)\n"
            } else {
                text += "counts: none (every version was returned)\n"
            }
            if history.isReturned { text += "the latest version was returned: the unit declares again\n" }
            return text
        }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return",
            abstract: "Return (退回) the latest version of a unit's declaration with a reason; the unit declares again.",
            discussion: """
                The version stays in the history with the reason; the rules read the latest \
                version that was not returned.
                Example: setaside declaration return 91140603MB1234567X 2024 --reason "预留比例低于10%，请核实"
                """)

        @OptionGroup var unitYear: UnitYear

        @Option(help: ArgumentHelp("Why it is sent back, as the unit will read it.", valueName: "text"))
        var reason: String

        @Option(help: ArgumentHelp(
            "The version to return, as `declaration show` listed it: refused when the unit has declared again since.",
            valueName: "n"))
        var version: Int?

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (code, year, caller, reason, version) = (unitYear.creditCode, unitYear.yearValue, connection.caller, reason, version)
            let history = try await connection.withOperations(sealing: true) {
                try await $0.returnDeclaration(of: code, year: year, version: version, reason: reason, by: caller)
            }
            print("returned version \(history.latest?.version ?? 0) of the declaration of \(code) for \(year)")
        }
    }
}
