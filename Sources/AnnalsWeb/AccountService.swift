public import AnnalsModel
public import AnnalsStore
import Foundation

/// A change to the accounts that cannot be made, said for the person who asked.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The same in Chinese, for the web's forms.
    public var messageZH: String
    public init(_ message: String, zh: String) {
        self.message = message
        self.messageZH = zh
    }
    public var description: String { message }

    static func name(_ problem: String, _ name: String) -> AccountError {
        AccountError(problem, zh: "用户名由 1 到 64 个拉丁字母、数字、“.”“-”“_”组成；“\(name)”不符合。")
    }

    static func password(_ problem: String, _ password: String) -> AccountError {
        AccountError(problem, zh: "密码至少 10 个字符、至多 72 字节；这个密码有 \(password.count) 个字符、\(password.utf8.count) 字节。")
    }
}

/// The accounts of `annals serve`, for `annals user …` and `annals token …` and for the server itself: every
/// change goes through here, is checked here and is written to the change log under `actor`.
public struct AccountService: Sendable {
    public let store: RegistryStore
    public let actor: ChangeActor
    /// The bcrypt cost of new hashes (tests use the smallest, 4).
    public let cost: UInt8

    public init(store: RegistryStore, actor: ChangeActor, cost: UInt8 = Secrets.defaultCost) {
        self.store = store
        self.actor = actor
        self.cost = cost
    }

    /// Adds account `name`. A secretary names the departments they work for; a viewer may (and then sees
    /// only those); office and admin see every department and name none. Without `password` the account
    /// cannot sign in until `setPassword`.
    @discardableResult
    public func add(name: String, role: AccountRole, departments: [String], password: String?) throws -> Account {
        if let problem = Account.problem(withName: name) { throw AccountError.name(problem, name) }
        if let password, let problem = Secrets.passwordProblem(password) {
            throw AccountError.password(problem, password)
        }
        if role.seesEveryDepartment && !departments.isEmpty {
            throw AccountError(
                "the \(role.rawValue) role sees every department; leave out --department (or choose the secretary or viewer role)",
                zh: "\(role.rawValue) 角色可看全院，不用选科室（或选 secretary、viewer 角色）。")
        }
        if (role == .secretary || role == .head) && departments.isEmpty {
            throw AccountError(
                "a \(role == .head ? "department head" : "secretary") works for one or more departments: name them with --department ID (`annals departments` lists them)",
                zh: role == .head ? "科室主任至少要选一个科室。" : "科室秘书至少要选一个科室。")
        }
        let hash = password.map { Secrets.hashPassword($0, cost: cost) }
        return try store.write(as: actor, doing: .account("add \(name)")) { registry in
            if try registry.account(name: name) != nil {
                throw AccountError(
                    "there is already a user called \(name); `annals user list` lists them", zh: "已有名为 \(name) 的用户。")
            }
            let known = Set(try registry.orgUnits().filter { $0.kind == .department }.map(\.id))
            for department in departments where !known.contains(department) {
                throw AccountError(
                    "no department with id '\(department)' in the registry; `annals departments` lists the ids",
                    zh: "登记库中没有编号为“\(department)”的科室。")
            }
            let account = Account(
                name: name, role: role, departments: Array(Set(departments)).sorted(), passwordHash: hash)
            try registry.save(account)
            return account
        }
    }

    /// Every account, by name.
    public func list() throws -> [Account] { try store.read { try $0.accounts() } }

    /// Disables account `name`: it can no longer sign in, its sessions end and its tokens stop working.
    /// Refused for `requester`'s own account (an admin would lock themselves out) and for the last enabled admin
    /// (nobody could manage the accounts any more).
    public func disable(name: String, requester: String? = nil) throws {
        if let requester, requester == name {
            throw AccountError(
                "you cannot disable your own account (\(name)): another admin can", zh: "不能停用自己的账户（\(name)），请由其他管理员停用。")
        }
        try store.write(as: actor, doing: .account("disable \(name)")) { registry in
            guard var account = try registry.account(name: name) else { throw Self.unknown(name) }
            if account.role == .admin, !account.disabled,
                try registry.accounts().filter({ $0.role == .admin && !$0.disabled }).count <= 1
            {
                throw AccountError(
                    "\(name) is the last enabled admin; add another admin first, or nobody can manage the accounts",
                    zh: "\(name) 是最后一个启用的管理员：请先添加另一位管理员，否则将无人能管理账户。")
            }
            account.disabled = true
            try registry.save(account)
        }
    }

    /// Sets the password of account `name`; every session of that account ends.
    public func setPassword(name: String, password: String) throws {
        if let problem = Secrets.passwordProblem(password) { throw AccountError.password(problem, password) }
        let hash = Secrets.hashPassword(password, cost: cost)
        try store.write(as: actor, doing: .account("password \(name)")) { registry in
            guard var account = try registry.account(name: name) else { throw Self.unknown(name) }
            account.passwordHash = hash
            try registry.save(account)
        }
    }

    /// A new API token for account `name`: the token is returned once (the registry keeps only its SHA-256).
    public func createToken(for name: String) throws -> (token: APIToken, secret: String) {
        let id = Secrets.random(bytes: 6)
        let secret = "annals_\(id)_\(Secrets.random(bytes: 32))"
        let token = APIToken(id: id, secretHash: Secrets.digest(secret), accountName: name, createdAt: Date())
        try store.write(as: actor, doing: .account("token for \(name)")) { registry in
            guard let account = try registry.account(name: name) else { throw Self.unknown(name) }
            guard !account.disabled else {
                throw AccountError("\(name) is disabled; a disabled user gets no token", zh: "\(name) 已停用，不能领取令牌。")
            }
            try registry.addToken(token)
        }
        return (token, secret)
    }

    /// Revokes the token with public id `id` (as `annals token list` shows it, or the part after `annals_`).
    public func revokeToken(id: String) throws {
        try store.write(as: actor, doing: .account("revoke token \(id)")) { registry in
            guard try registry.revokeToken(id: id) else {
                throw AccountError(
                    "no working token with id \(id); `annals token list` lists the tokens and whether each is revoked",
                    zh: "没有编号为 \(id) 的有效令牌。")
            }
        }
    }

    /// Every API token, oldest first (without their secrets, which are not kept).
    public func tokens() throws -> [APIToken] { try store.read { try $0.apiTokens() } }

    static func unknown(_ name: String) -> AccountError {
        AccountError("there is no user called \(name); `annals user list` lists them", zh: "没有名为 \(name) 的用户。")
    }
}
