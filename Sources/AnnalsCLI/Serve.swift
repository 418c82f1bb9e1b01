import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsWeb
public import ArgumentParser
import Foundation

extension Annals {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Serve the registry in the browser and as a JSON API.",
            discussion: """
                Pages for people (sign in with an account made by `annals user add`) and a JSON API under /api/ for \
                programs (`annals token create USER` makes a token; /api/openapi.json describes it). Stops on \
                Ctrl-C or SIGTERM after finishing the requests under way.

                Behind an HTTPS proxy (nginx), pass --behind-https: cookies are then marked Secure and sign-in \
                throttling reads the client's address from X-Forwarded-For.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "The address to listen on (127.0.0.1: this machine only).")
        var host = "127.0.0.1"

        @Option(name: .long, help: "The port to listen on.")
        var port = 8080

        @Flag(name: .long, help: "Served over HTTPS by a proxy in front (Secure cookies, X-Forwarded-For).")
        var behindHTTPS = false

        @Flag(
            name: .long,
            help: """
                Check the configuration and exit without serving: the registry (there, up to date, writable, an \
                account that can sign in), the port, the HTTPS and proxy settings, the PostgreSQL password file. \
                Exit status 0 when the server can start, 1 otherwise.
                """)
        var check = false

        func validate() throws {
            guard (1...65535).contains(port) else {
                throw ValidationError("--port takes 1 to 65535; \(port) is not one.")
            }
        }

        func run() throws {
            let configuration = WebConfiguration(host: host, port: port, behindHTTPS: behindHTTPS)
            if check {
                let findings = ServerCheck.run(location: registry.path, configuration: configuration)
                for finding in findings { print(finding) }
                let errors = findings.filter { $0.level == .error }.count
                let warnings = findings.filter { $0.level == .warning }.count
                guard errors == 0 else {
                    throw Failure(
                        "the server cannot start as configured: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")."
                    )
                }
                print("The server can start (\(warnings) warning\(warnings == 1 ? "" : "s")).")
                return
            }
            WebApp.limitAllocatorArenas()
            // Under `annals serve` standard error holds nothing but JSON lines, from the first.
            let store = try registry.open(create: false) { WebApp.startNotice($0) }.store
            let accounts = try store.read { try $0.accounts() }
            let app = WebApp(store: store, configuration: configuration)
            if accounts.isEmpty {
                app.notice(
                    "No account can sign in yet: make one with `annals user add NAME --role admin --password-stdin`.",
                    warning: true)
            }
            app.notice("Serving \(registry.name) on http://\(host):\(port)/ (Ctrl-C stops).")
            try app.runBlocking()
        }
    }

    struct User: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "The accounts that may sign in to `annals serve`.",
            subcommands: [Add.self, List.self, Disable.self, Passwd.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "Add an account.",
                discussion: """
                    Roles: admin (accounts and settings, everything), office (the research office: every department), \
                    head (a department head: a secretary's rights, and approves their departments' records at a \
                    department step of the approval chain; name them with --department), \
                    secretary (their departments: name them with --department), viewer (reads; with --department, \
                    only those departments). Without --password-stdin the account cannot sign in until \
                    `annals user passwd NAME`.
                    """)
            @OptionGroup var registry: RegistryOptions
            @Argument(help: "The sign-in name (Latin letters, digits, '.', '-', '_').") var name: String
            @Option(name: .long, help: "admin, office, head, secretary or viewer.") var role: AccountRole
            @Option(
                name: .long, help: ArgumentHelp("A department the account works for (repeatable).", valueName: "id"))
            var department: [String] = []
            @Flag(name: .long, help: "Read the password from standard input (one line).") var passwordStdin = false

            func run() throws {
                let password = passwordStdin ? try readPassword() : nil
                let store = try registry.open(create: false).store
                do {
                    let account = try AccountService(store: store, actor: registry.actor)
                        .add(name: name, role: role, departments: department, password: password)
                    print(
                        "Added \(account.name) (\(account.role.rawValue)\(account.departments.isEmpty ? "" : ": " + account.departments.joined(separator: ", ")))\(password == nil ? "; no password yet: `annals user passwd \(name)`" : "")."
                    )
                } catch let error as AccountError { throw Failure(error.message) }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
            @OptionGroup var registry: RegistryOptions

            func run() throws {
                let store = try registry.open(create: false, readOnly: true).store
                let accounts = try AccountService(store: store, actor: registry.actor).list()
                if accounts.isEmpty { print("No account yet; `annals user add NAME --role ROLE` makes one.") }
                for a in accounts {
                    let departments = a.departments.isEmpty ? "every department" : a.departments.joined(separator: ", ")
                    let state = a.disabled ? "disabled" : a.passwordHash == nil ? "no password" : "active"
                    print(
                        "\(a.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(a.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(state.padding(toLength: 12, withPad: " ", startingAt: 0)) \(departments)"
                    )
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "disable",
                abstract: "Disable an account: it can no longer sign in; its sessions and tokens stop working.")
            @OptionGroup var registry: RegistryOptions
            @Argument var name: String

            func run() throws {
                let store = try registry.open(create: false).store
                do { try AccountService(store: store, actor: registry.actor).disable(name: name) } catch let error
                    as AccountError
                {
                    throw Failure(error.message)
                }
                print("Disabled \(name).")
            }
        }

        struct Passwd: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "passwd",
                abstract: "Set an account's password (read from standard input); its sessions end.")
            @OptionGroup var registry: RegistryOptions
            @Argument var name: String

            func run() throws {
                let password = try readPassword()
                let store = try registry.open(create: false).store
                do {
                    try AccountService(store: store, actor: registry.actor).setPassword(name: name, password: password)
                } catch let error as AccountError {
                    throw Failure(error.message)
                }
                print("Set the password of \(name).")
            }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "API tokens for programs: each acts with its user's role.",
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create", abstract: "Make a token for USER and print it (once: only its hash is kept).")
            @OptionGroup var registry: RegistryOptions
            @Argument(help: "The account the token acts for.") var user: String

            func run() throws {
                let store = try registry.open(create: false).store
                do {
                    let (token, secret) = try AccountService(store: store, actor: registry.actor).createToken(for: user)
                    printError("Token \(token.id) for \(user); keep it secret, it is shown only now:")
                    print(secret)
                } catch let error as AccountError { throw Failure(error.message) }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List the tokens (never their secrets).")
            @OptionGroup var registry: RegistryOptions

            func run() throws {
                let store = try registry.open(create: false, readOnly: true).store
                let tokens = try AccountService(store: store, actor: registry.actor).tokens()
                if tokens.isEmpty { print("No token yet; `annals token create USER` makes one.") }
                for t in tokens {
                    print(
                        "\(t.id)  \(t.accountName)  made \(ChangeEntry.timestamp(t.createdAt))\(t.revokedAt.map { "  revoked \(ChangeEntry.timestamp($0))" } ?? "")"
                    )
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "revoke", abstract: "Revoke a token (by the id `annals token list` shows).")
            @OptionGroup var registry: RegistryOptions
            @Argument var id: String

            func run() throws {
                let store = try registry.open(create: false).store
                do { try AccountService(store: store, actor: registry.actor).revokeToken(id: id) } catch let error
                    as AccountError
                {
                    throw Failure(error.message)
                }
                print("Revoked token \(id).")
            }
        }
    }
}

extension AccountRole: ExpressibleByArgument {}

/// One line of standard input, without its line end: a password given with --password-stdin.
func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw Failure(
            "no password on standard input; pipe one line, e.g. `printf '%s\\n' \"$PASSWORD\" | annals user passwd NAME`"
        )
    }
    if let problem = Secrets.passwordProblem(line) { throw Failure(problem) }
    return line
}
