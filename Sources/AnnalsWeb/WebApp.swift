import AnnalsModel
import AnnalsRegistry
public import AnnalsStore
public import Foundation
import Hummingbird
public import Logging

/// How `annals serve` runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Served to browsers over HTTPS by a proxy in front: cookies are `Secure`, the origin is `https://…`, and
    /// the client's address is the last one in `X-Forwarded-For` (the proxy's).
    public var behindHTTPS: Bool
    /// How long a session lasts after sign-in.
    public var sessionLifetime: TimeInterval
    /// Failed sign-ins allowed per account, and per address, within `throttleWindow`.
    public var failuresPerAccount: Int
    public var failuresPerAddress: Int
    public var throttleWindow: TimeInterval
    /// The bcrypt cost of hashes made by the server (tests use 4).
    public var bcryptCost: UInt8
    /// The largest body the upload page takes (bytes); a larger one is refused with 413 as it arrives.
    public var uploadLimit: Int
    /// Where uploaded files wait for their import to be confirmed (a folder of their own is made there).
    public var uploadFolder: URL
    /// How long a checked upload waits for its confirmation; then its file is deleted and its token refused.
    public var uploadLifetime: TimeInterval
    /// How many checked uploads wait at most (the whole server); a new one pushes out the oldest.
    public var pendingUploads: Int
    /// How long a connection may send nothing (no complete request head, no piece of a body) before it is
    /// closed, and how long a kept-alive connection may wait for its next request: a slow sender cannot hold
    /// the server's connections. A request read in full is answered however long its handler takes.
    public var idleTimeout: Duration = .seconds(30)

    public init(
        host: String = "127.0.0.1", port: Int = 8080, behindHTTPS: Bool = false,
        sessionLifetime: TimeInterval = 8 * 3600,
        failuresPerAccount: Int = 5, failuresPerAddress: Int = 20, throttleWindow: TimeInterval = 15 * 60,
        bcryptCost: UInt8 = Secrets.defaultCost, uploadLimit: Int = 64 * 1024 * 1024,
        uploadFolder: URL = FileManager.default.temporaryDirectory.appendingPathComponent("annals-uploads"),
        uploadLifetime: TimeInterval = 30 * 60, pendingUploads: Int = 50
    ) {
        self.host = host
        self.port = port
        self.behindHTTPS = behindHTTPS
        self.sessionLifetime = sessionLifetime
        self.failuresPerAccount = failuresPerAccount
        self.failuresPerAddress = failuresPerAddress
        self.throttleWindow = throttleWindow
        self.bcryptCost = bcryptCost
        self.uploadLimit = uploadLimit
        self.uploadFolder = uploadFolder
        self.uploadLifetime = uploadLifetime
        self.pendingUploads = max(1, pendingUploads)
    }
}

/// The server's state: the registry, the configuration, the sign-in throttle, the access log, the metrics.
public final class WebApp: Sendable {
    public let store: RegistryStore
    /// The application layer over `store`, as the server itself (an account's writes name that account).
    let registry: Registry
    public let configuration: WebConfiguration
    let throttle: SignInThrottle
    let log: Logger
    /// Uploaded files waiting for their import to be confirmed.
    let uploads: UploadShelf
    /// What `/metrics` reports.
    let metrics = WebMetrics()
    /// The dashboards' figures and the report pages' reports, each kept until the registry changes (reports
    /// list every paper of the year: fewer of them).
    let dashboards = FigureCache<Pages.RegistryFigures>(capacity: 64)
    let reports = FigureCache<Pages.ReportPage>(capacity: 8)
    /// Answers to case questions (`/api/cases`, the case page), the same way.
    let caseAnswers = FigureCache<String>(capacity: 256)
    /// People's pages (their papers, projects and operations), the same way.
    let people = FigureCache<Pages.PersonPage>(capacity: 32)
    /// Pages of the paper list (each filter, search and page number a question of its own), the same way.
    let paperPages = FigureCache<Pages.PaperListPage>(capacity: 128)

    public init(store: RegistryStore, configuration: WebConfiguration = WebConfiguration(), logger: Logger? = nil) {
        self.store = store
        self.registry = Registry(store: store, actor: ChangeActor("annals serve"))
        self.configuration = configuration
        self.throttle = SignInThrottle(
            perAccount: configuration.failuresPerAccount, perAddress: configuration.failuresPerAddress,
            window: configuration.throttleWindow)
        // Without a logger given, JSON lines on standard error (journald keeps them under systemd).
        var log = logger ?? Logger(label: "annals.serve", factory: JSONLogHandler.standardError)
        if logger == nil { log.logLevel = .info }
        self.log = log
        self.uploads = UploadShelf(
            folder: configuration.uploadFolder, lifetime: configuration.uploadLifetime,
            capacity: configuration.pendingUploads)
    }

    /// Reads the registry off the server's threads (the store's calls block).
    func read<T: Sendable>(_ body: @escaping @Sendable (RegistryReader) throws -> T) async throws -> T {
        try await registry.read(body)
    }

    /// Writes to the registry off the server's threads, as `actor` (the signed-in account).
    func write<T: Sendable>(
        as actor: ChangeActor, doing action: ChangeAction, _ body: @escaping @Sendable (RegistryWriter) throws -> T
    ) async throws -> T {
        try await Registry(store: store, actor: actor).write(action, body)
    }

    /// The router: the two outer middlewares (security headers, errors and the access log; who is asking),
    /// then every route of `RouteTable` behind its `RouteGuard`.
    func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: ResponseMiddleware(app: self))
        router.add(middleware: AuthenticationMiddleware(app: self))
        for route in RouteTable.all {
            router.group().add(middleware: RouteGuard(route: route, app: self))
                .on(RouterPath(stringLiteral: route.path), method: route.method) { [self] request, context in
                    try await route.handler(request, context, self)
                }
        }
        return router
    }

    /// The application, ready to run.
    func application() -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(
                configuration: .init(
                    idleTimeout: .nanoseconds(
                        configuration.idleTimeout.components.seconds * 1_000_000_000
                            + configuration.idleTimeout.components.attoseconds / 1_000_000_000))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            logger: log)
    }

    /// Writes `message` to the server's log (a JSON line under `annals serve`): what the command line says on
    /// start, so that the log holds nothing but JSON lines.
    public func notice(_ message: String, warning: Bool = false) {
        log.log(level: warning ? .warning : .info, "\(message)")
    }

    /// `notice` before there is a server: what the registry says while `annals serve` opens it (the copy made
    /// before a migration, the wait for an import), as a JSON line of the server's log on standard error.
    public static func startNotice(_ message: String) {
        startNotice(message, to: JSONLogHandler.standardError(label: "annals.serve"))
    }

    static func startNotice(_ message: String, to handler: JSONLogHandler) {
        var log = Logger(label: "annals.serve") { _ in handler }
        log.logLevel = .info
        log.info("\(message)")
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests under way and returns. Uploads that wait too
    /// long for their confirmation are deleted every minute, and those still waiting when the server stops.
    public func run() async throws {
        let sweeper = Task { [uploads] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                await uploads.sweep()
            }
        }
        defer { sweeper.cancel() }
        try await application().runService()
        await uploads.removeAll()
    }

    /// `run()` for a synchronous caller (the command line): blocks until the server stops.
    public func runBlocking() throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Task { [self] in
            do { try await run() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}

private final class OutcomeBox: @unchecked Sendable {
    var error: (any Error)?
}

/// Failed sign-ins within a window, per account and per address: past the limit, sign-in is refused (even with the
/// right password) until the window has passed. Kept in memory, per server process.
actor SignInThrottle {
    let perAccount: Int
    let perAddress: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(perAccount: Int, perAddress: Int, window: TimeInterval) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
    }

    /// Seconds to wait before `account` may try again from `address`; nil when it may try now.
    func wait(account: String, address: String, now: Date = Date()) -> Int? {
        let a = recent("account " + account.lowercased(), now)
        let b = recent("address " + address, now)
        var waits: [Date] = []
        if a.count >= perAccount, let first = a.first { waits.append(first) }
        if b.count >= perAddress, let first = b.first { waits.append(first) }
        guard let oldest = waits.max() else { return nil }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    func failed(account: String, address: String, now: Date = Date()) {
        failures["account " + account.lowercased(), default: []].append(now)
        failures["address " + address, default: []].append(now)
    }

    func succeeded(account: String) {
        failures["account " + account.lowercased()] = nil
    }

    private func recent(_ key: String, _ now: Date) -> [Date] {
        let kept = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = kept.isEmpty ? nil : kept
        return kept
    }
}
