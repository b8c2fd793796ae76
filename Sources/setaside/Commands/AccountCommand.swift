import ArgumentParser
import Foundation
import HummingbirdBcrypt
import SetasideCore
import SetasideOperations
import SetasideStore

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Manage the accounts of the service: clerks, inspectors and administrators.",
        subcommands: [Add.self, List.self, Disable.self, Token.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is read from standard input.",
            discussion: """
                A clerk works for one or more units (--unit, repeated); an inspector reads \
                everything under a region (--region); an admin takes neither. On a terminal \
                the password is asked for twice without echo; otherwise the first line of \
                standard input is the password.

                Examples:
                  setaside account add wang --role clerk --unit 91110000101623741K
                  echo 'a long passphrase' | setaside account add li --role inspector --region 140603
                """)

        @Argument(help: "The login: letters, digits, '.', '_', '@' or '-'.")
        var login: String

        @Option(help: "clerk, inspector or admin.")
        var role: Role

        @Option(name: .customLong("unit"), help: ArgumentHelp("A unit the clerk works for (repeat for more).", valueName: "credit-code"))
        var units: [String] = []

        @Option(help: ArgumentHelp("The region an inspector reads.", valueName: "code"))
        var region: String?

        @Option(help: ArgumentHelp(
            "The supervising unit (主管预算单位) an inspector reads: that unit and every unit below it.",
            valueName: "credit-code"))
        var supervising: String?

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if let supervising {
                do { _ = try CreditCode(parsing: supervising) } catch { throw ValidationError("--supervising: \(error)") }
            }
            do { try Account.validate(login: login, role: role, units: units, region: region, supervising: supervising) } catch {
                // The core names what is missing; the command line says which option gives it.
                let option = switch error {
                case .clerkWithoutUnits: " (add --unit CREDIT_CODE)"
                case .inspectorWithoutRegion: " (add --region CODE or --supervising CREDIT_CODE)"
                case .bindingNotForRole(_, .units): " (drop --unit)"
                case .bindingNotForRole(_, .region): " (drop --region)"
                case .bindingNotForRole(_, .supervising): " (drop --supervising)"
                default: ""
                }
                throw ValidationError(error.description + option)
            }
        }

        func run() async throws {
            let password = try PasswordInput.read(confirm: true)
            guard password.count >= Account.minimumPasswordLength else {
                throw ValidationError(AccountError.weakPassword.description)
            }
            let (login, role, units, region, caller) = (login, role, units, region, connection.caller)
            let supervising = supervising.map { $0.uppercased() }
            let account = try await connection.withOperations(sealing: true) { operations in
                try await operations.addAccount(login: login, role: role, units: units, region: region,
                                                supervising: supervising, password: password, by: caller)
            }
            print("Created \(account.role.rawValue) \(account.login).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the accounts with their role and bindings.",
            discussion: "Example: setaside account list")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let accounts = try await connection.withOperations { try await $0.accountList() }
            let rows = accounts.map { account in
                [account.login, account.role.rawValue,
                 [account.region, account.supervising.map { "supervising \($0)" }].compactMap { $0 }.joined(separator: ", ")
                    + account.units.sorted().joined(separator: " "),
                 account.isDisabled ? "disabled" : "active"]
            }
            print(TextTable(header: ["login", "role", "bound to", "state"], rows: rows).render(), terminator: "")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account and revoke its tokens.",
            discussion: "Example: setaside account disable wang")

        @Argument(help: "The login.")
        var login: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (login, caller) = (login, connection.caller)
            try await connection.withOperations(sealing: true) { try await $0.disableAccount(login: login, by: caller) }
            print("Disabled \(login); its tokens no longer work.")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new bearer token for an account; it is printed once, as the last line.",
            discussion: """
                Only a hash of the token is stored: keep the token, it cannot be shown again.

                Example: TOKEN=$(setaside account token wang | tail -n 1)
                """)

        @Argument(help: "The login.")
        var login: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (login, caller) = (login, connection.caller)
            let token = try await connection.withOperations(sealing: true) { try await $0.issueToken(login: login, by: caller) }
            print("A new bearer token for \(login) (shown once):")
            print(token)
        }
    }
}

extension AccountCommand {
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke every bearer token of an account; the account stays enabled.",
            discussion: """
                For a token that may have leaked: the account logs in again or gets a new token
                with `setaside account token`. A running server refuses the revoked tokens at once.
                A client revokes its own token with DELETE /api/v1/session.

                Example: setaside account revoke wang
                """)

        @Argument(help: "The login.")
        var login: String

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let (login, caller) = (login, connection.caller)
            let count = try await connection.withOperations(sealing: true) { try await $0.revokeTokens(login: login, by: caller) }
            print("Revoked \(count) token\(count == 1 ? "" : "s") of \(login).")
        }
    }
}

extension Role: ExpressibleByArgument {}

/// Reads a password: without echo on a terminal, else the first line of standard input.
enum PasswordInput {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input")
            }
            return line
        }
        let first = try prompt("Password: ")
        if confirm, try prompt("Again: ") != first { throw ValidationError("the two passwords differ") }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password given") }
        return line
    }
}
