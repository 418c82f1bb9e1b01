public import Foundation

/// What a person signed in to `annals serve` may do.
public enum AccountRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads what their departments may see (or everything, without departments).
    case viewer
    /// A department secretary: reads and, later, edits the records of their departments.
    case secretary
    /// A department head (科室主任): what a secretary may do, and approves their departments' records at a
    /// chain step scoped to the department.
    case head
    /// The research office: every department.
    case office
    /// Users and settings, and everything the office may do.
    case admin

    /// viewer < secretary < head < office < admin.
    public static func < (a: AccountRole, b: AccountRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// True when the role sees every department whatever departments the account names (office and admin).
    public var seesEveryDepartment: Bool { self >= .office }
}

/// A person who may sign in to `annals serve`, or whose API tokens act for them.
///
/// The password is kept only as its bcrypt hash, which never leaves the store and the web module.
public struct Account: Sendable, Hashable {
    /// The sign-in name (letters, digits, `.`, `-`, `_`; 1 to 64 characters).
    public var name: String
    public var role: AccountRole
    /// The departments (org-unit ids) a secretary, head or viewer works for; empty for office and admin.
    public var departments: [String]
    /// The bcrypt hash of the password; nil when no password is set (the account cannot sign in).
    public var passwordHash: String?
    /// A disabled account cannot sign in, and its sessions and tokens no longer work.
    public var disabled: Bool
    /// When the account was made (UTC).
    public var createdAt: Date

    public init(
        name: String, role: AccountRole, departments: [String] = [], passwordHash: String? = nil,
        disabled: Bool = false,
        createdAt: Date = Date()
    ) {
        self.name = name
        self.role = role
        self.departments = departments
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// Why `name` cannot be a sign-in name, or nil when it can.
    public static func problem(withName name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        if name.isEmpty || name.count > 64 { return "a user name has 1 to 64 characters; '\(name)' has \(name.count)" }
        if !name.allSatisfy(allowed.contains) {
            return "a user name is made of Latin letters, digits, '.', '-' and '_'; '\(name)' has other characters"
        }
        return nil
    }

    /// The account as the change log keeps it: everything but the password hash (only whether one is set, and
    /// with `passwordChanged`, that it was changed).
    public func logJSON(passwordChanged: Bool = false) -> String {
        var value: [String: Any] = [
            "name": name, "role": role.rawValue, "departments": departments, "disabled": disabled,
            "hasPassword": passwordHash != nil,
        ]
        if passwordChanged { value["passwordChanged"] = true }
        let data =
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A signed-in browser: kept in the registry so that it survives a restart and is shared by several servers.
/// Its id is known only to the browser (in a cookie); the registry keeps the id's SHA-256.
public struct WebSession: Sendable, Hashable {
    /// SHA-256 (hex) of the session id the browser holds.
    public var idHash: String
    public var accountName: String
    /// The token every form of this session carries (CSRF).
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(idHash: String, accountName: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.accountName = accountName
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A bearer token for the JSON API, acting with its account's role; kept only as its SHA-256.
public struct APIToken: Sendable, Hashable {
    /// A short public id that names the token in lists and in `annals token revoke` (not the secret).
    public var id: String
    /// SHA-256 (hex) of the secret.
    public var secretHash: String
    public var accountName: String
    public var createdAt: Date
    /// When it was revoked; nil while it works.
    public var revokedAt: Date?

    public init(id: String, secretHash: String, accountName: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.secretHash = secretHash
        self.accountName = accountName
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

extension ChangeAction {
    /// A change to the accounts of `annals serve` (`detail` says which: "add NAME", "disable NAME", …).
    public static func account(_ detail: String) -> ChangeAction { .other(code: "account", detail: detail) }
}
