import ArgumentParser
import SetasideCore
import SetasideOperations
import SetasideStore

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show the policy packs stored in the database.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the policy packs with their jurisdiction, years and rules.",
            discussion: "Example: setaside policy list")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let packs = try await connection.withOperations { try await $0.policyPacks() }
            let rows = packs.map { pack in
                [pack.id, pack.jurisdiction.text, pack.yearsText, pack.rules.map(\.id).joined(separator: ", ")]
            }
            print(TextTable(header: ["pack", "jurisdiction", "in force", "rules"], rows: rows).render(), terminator: "")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one policy pack and every parameter of its rules.",
            discussion: "Example: setaside policy show pinglu-2022")

        @Argument(help: "The pack id, as listed by `setaside policy list`.")
        var id: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let packs = try await connection.withOperations { try await $0.policyPacks() }
            guard let pack = packs.first(where: { $0.id == id }) else {
                throw ValidationError("no policy pack \(id); the packs are \(packs.map(\.id).joined(separator: ", "))")
            }
            print("\(pack.id): \(pack.title)")
            print("jurisdiction: \(pack.jurisdiction.text)")
            print("in force: \(pack.yearsText)")
            print("source: \(pack.source)")
            print("rules:")
            for rule in pack.rules {
                print("  \(rule.id)  \(rule.name)")
                for line in Self.describe(rule) { print("    \(line)") }
            }
        }

        static func describe(_ rule: PolicyRule) -> [String] {
            var lines = ["kind: \(rule.kind.rawValue)"]
            if let bp = rule.thresholdBasisPoints { lines.append("threshold: \(percent(bp))") }
            if let bp = rule.encouragedBasisPoints { lines.append("encouraged: \(percent(bp)) (shown, never decides met)") }
            if let minimum = rule.minimum { lines.append("minimum: \(minimum.yuanString) yuan a year") }
            if let levels = rule.unitLevels { lines.append("unit levels: \(levels.map(\.rawValue).sorted().joined(separator: ", "))") }
            if let count = rule.requiredCount { lines.append("festivals required: \(count)" + (rule.targetCount.map { ", target \($0)" } ?? "")) }
            lines.append("channels: " + (rule.allowedChannels.map { $0.map(\.rawValue).sorted().joined(separator: ", ") } ?? "any"))
            lines.append("categories: " + rule.categories.map(\.rawValue).sorted().joined(separator: ", "))
            return lines
        }

        static func percent(_ basisPoints: Int) -> String {
            "\(basisPoints / 100)." + (basisPoints % 100 < 10 ? "0" : "") + "\(basisPoints % 100)%"
        }
    }
}
