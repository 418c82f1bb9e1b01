import AnnalsInterchange
import Foundation
import HummingbirdBcrypt

/// Random secrets, and how they are kept: passwords as bcrypt hashes, session ids and API tokens as SHA-256.
public enum Secrets {
    /// The bcrypt cost of new password hashes (2^12 rounds, a quarter of a second or so on a server).
    public static let defaultCost: UInt8 = 12

    /// A new random secret: `bytes` bytes from the system's cryptographic generator, as base64url text
    /// (letters, digits, `-` and `_`; fits a cookie and a URL without escaping).
    public static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    /// A password people can type: 16 characters from letters and digits that cannot be mistaken for each other.
    public static func readablePassword(length: Int = 16) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The bcrypt hash of `password`.
    public static func hashPassword(_ password: String, cost: UInt8 = defaultCost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// True when `password` matches the bcrypt `hash`.
    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// What the registry keeps of a session id or an API token: its SHA-256, hex.
    public static func digest(_ secret: String) -> String { SHA256.hexDigest(of: secret) }

    /// Compares two strings in time that depends on their length only (for CSRF tokens).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// Why `password` is too weak to be set, or nil.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < 10 { return "a password has at least 10 characters; this one has \(password.count)" }
        if password.utf8.count > 72 {
            return "a password has at most 72 bytes (bcrypt reads no further); this one has \(password.utf8.count)"
        }
        return nil
    }
}
