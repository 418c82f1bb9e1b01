import AnnalsModel
import Foundation
import Hummingbird

/// The two languages of the pages.
enum WebLanguage: String, Sendable, CaseIterable {
    case zh, en

    /// The language a request asks for: `?lang=`, then the `annals_lang` cookie, then Accept-Language
    /// (the first of zh and en it names), then Chinese.
    static func of(_ request: Request) -> WebLanguage {
        if let asked = Query(request.uri.query).first("lang").flatMap(WebLanguage.init(rawValue:)) { return asked }
        if let cookie = request.cookies["annals_lang"]?.value, let language = WebLanguage(rawValue: cookie) {
            return language
        }
        let header = request.headers[.acceptLanguage] ?? ""
        var best: (WebLanguage, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";")
            let tag = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let q =
                pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            let language: WebLanguage? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            if let language, q > (best?.1 ?? -1) { best = (language, q) }
        }
        return best?.0 ?? .zh
    }
}

/// What one request carries through the middleware to its handler: who is asking (from a session cookie or a
/// bearer token), their session (for its form token), and the language of the answer.
struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in account, or the account of the bearer token; nil when signed out.
    public var account: Account?
    /// The browser session, when the account came from one (not from a token).
    public var session: WebSession?
    /// The language of the pages.
    public var language: WebLanguage = .zh
    /// How many records wait for the signed-in account (我的待办), shown in every page's header.
    public var taskCount: Int?
    /// The registry's change stamp, read with the session or token of a GET request: an answer kept at this stamp
    /// (`FigureCache`) is shown without reading the registry again.
    public var changeStamp: String?

    /// Who was found to be asking, shared with the middleware outside the one that found it (for the access log).
    let asker = Asker()

    /// The body of a file upload, read on from after its form token (set by `RouteGuard`).
    var multipart: MultipartReader?

    /// The address of the connection's other end (the client, or the proxy in front).
    public var remoteAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Uploads are not taken yet: forms are small.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// The parameters of a query string or of a form body (`application/x-www-form-urlencoded`): `+` is a space,
/// `%XX` a byte; a name may be given more than once.
struct Query: Sendable {
    var pairs: [(String, String)] = []

    init(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            pairs.append((decode(kv[0]), kv.count > 1 ? decode(kv[1]) : ""))
        }
    }

    /// The first value of `name`, nil when absent or empty.
    func first(_ name: String) -> String? {
        pairs.first { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// The names given.
    var names: Set<String> { Set(pairs.map(\.0)) }
}

/// The account asking (its name and role), written by `AuthenticationMiddleware` and read by the access log (which runs
/// outside it and so never sees the context it made).
final class Asker: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    private var roleValue: String?
    var name: String? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    /// The asker's role (`office`), which the access log names instead of the account.
    var role: String? {
        get { lock.withLock { roleValue } }
        set { lock.withLock { roleValue = newValue } }
    }
}
