import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

/// Frozen assessments: freeze a year's figures for a region, list the snapshots.
struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "Freeze the yearly assessment (年度考核快照) of a region, and list its snapshots.",
        subcommands: [Freeze.self, Snapshots.self])

    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the year's figures for the region as they are now, with the audit chain's head.",
            discussion: """
                Exports of the year for that region then show the frozen figures by default \
                (`setaside export assessment --live` shows today's, `--changes` what moved since). \
                A snapshot is never edited: freezing again makes a new snapshot, which exports then show.

                Example: setaside assessment freeze --year 2024 --region 140000
                """)

        @OptionGroup var scope: YearScopeOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let scope = try scope.reportScope()
            let caller = connection.caller
            let snapshot = try await connection.withOperations { try await $0.freezeAssessment(scope, by: caller) }
            print("froze snapshot #\(snapshot.id) of \(snapshot.year) for region \(snapshot.region) at \(snapshot.frozenAt)"
                  + (snapshot.asOf.map { ", figures as of \($0.iso)" } ?? "") + "; audit head \(snapshot.auditHead ?? "none")")
        }
    }

    struct Snapshots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the snapshots of the year for the region, oldest first (the last is the one exports show).")

        @OptionGroup var scope: YearScopeOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let scope = try scope.reportScope()
            let caller = connection.caller
            let snapshots = try await connection.withOperations { try await $0.assessmentSnapshots(scope, by: caller) }
            if snapshots.isEmpty {
                print("no snapshot of \(scope.year) for region \(scope.region ?? DivisionCode.country.text): exports show live figures")
            }
            for snapshot in snapshots {
                print("#\(snapshot.id)  frozen \(snapshot.frozenAt) by \(snapshot.frozenBy)  as of \(snapshot.asOf?.iso ?? "-")  audit head \(snapshot.auditHead ?? "-")")
            }
        }
    }
}
