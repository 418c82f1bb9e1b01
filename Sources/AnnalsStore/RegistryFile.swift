import Foundation

/// What is at a registry file's path, found without opening it through SQLite (so nothing is written,
/// and a named pipe or a device never blocks): its kind, SQLite's journal mode from the file header,
/// and whether this user may read and change it.
struct RegistryFile {
    enum Kind: Equatable {
        case missing
        /// A folder, named pipe, device or socket: never opened.
        case notAFile(String)
        /// Zero bytes: no database at all.
        case empty
        /// Some bytes, but not an SQLite database.
        case notSQLite
        /// An SQLite database; `wal` when its header says WAL mode.
        case sqlite(wal: Bool)
    }

    let path: String
    let kind: Kind
    /// Nil when this user may read the file; otherwise why not, in words.
    let cannotRead: String?
    /// Nil when this user may change the registry (the file, its folder, and its -wal and -shm files when
    /// they exist); otherwise why not, in words.
    let cannotWrite: String?

    var walPath: String { path + "-wal" }
    var shmPath: String { path + "-shm" }

    init(_ path: String) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            let folder = (path as NSString).deletingLastPathComponent
            switch code {
            case ENOENT:
                kind = .missing
                cannotRead = nil
            case EACCES:
                // A folder on the way that this user may not open.
                kind = .notSQLite
                cannotRead =
                    "you may not open a folder on the way to \(path) (permission denied); ask the owner of \(folder.isEmpty ? "." : folder) and the folders above it to let you in"
            default:
                kind = .notAFile("out of reach (\(String(cString: strerror(code))))")
                cannotRead = nil
            }
            cannotWrite = nil
            return
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            switch type {
            case S_IFDIR: kind = .notAFile("a folder")
            case S_IFIFO: kind = .notAFile("a named pipe (FIFO), not a file")
            case S_IFCHR, S_IFBLK: kind = .notAFile("a device, not a file")
            case S_IFSOCK: kind = .notAFile("a socket, not a file")
            default: kind = .notAFile("not a regular file")
            }
            cannotRead = nil
            cannotWrite = nil
            return
        }
        let folder =
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        if access(path, R_OK) != 0 {
            cannotRead = "you may not read \(path) (\(Self.describe(info))); ask its owner to let you read it"
            kind = .notSQLite
            cannotWrite = nil
            return
        }
        cannotRead = nil
        if info.st_size == 0 {
            kind = .empty
        } else {
            // The header: "SQLite format 3\0", and at 18 and 19 the read and write versions (2 = WAL).
            var header = [UInt8](repeating: 0, count: 100)
            let fd = open(path, O_RDONLY | O_NONBLOCK)
            let count = fd >= 0 ? read(fd, &header, 100) : -1
            if fd >= 0 { close(fd) }
            if count >= 20 && Array(header[0..<16]) == Array("SQLite format 3\0".utf8) {
                kind = .sqlite(wal: header[18] == 2 || header[19] == 2)
            } else {
                kind = .notSQLite
            }
        }
        if access(path, W_OK) != 0 {
            cannotWrite = "\(path) is read-only for you (\(Self.describe(info)))"
        } else if access(folder, W_OK | X_OK) != 0 {
            cannotWrite =
                "the folder \(folder) is read-only for you, and changing a registry needs its \((path as NSString).lastPathComponent)-wal and -shm files beside it"
        } else if let file = [path + "-wal", path + "-shm"].first(where: { (name: String) in
            access(name, F_OK) == 0 && access(name, R_OK | W_OK) != 0
        }) {
            var fileInfo = stat()
            _ = stat(file, &fileInfo)
            cannotWrite =
                "\(file) belongs to \(Self.owner(fileInfo.st_uid)) and you may not change it (\(Self.describe(fileInfo))); it is left by someone who had the registry open. Ask them to close Annals, or ask the owner of the folder to remove it when nobody uses the registry"
        } else {
            cannotWrite = nil
        }
    }

    /// Owner and permissions, as `ls -l` shows them: "owner alice, rw-r--r--".
    static func describe(_ info: stat) -> String {
        let mode = Int(info.st_mode & 0o777)
        let letters = (0..<9).map { bit -> Character in
            let set = mode & (0o400 >> bit) != 0
            return set ? ["r", "w", "x"][bit % 3] : "-"
        }
        return "owner \(owner(info.st_uid)), permissions \(String(letters))"
    }

    static func owner(_ uid: uid_t) -> String {
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return String(cString: name) }
        return "user \(uid)"
    }

    /// True when `path` exists and holds at least one byte.
    static func hasContent(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_size > 0
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Identity of the file's content for a reader that takes no locks: changed by any write to it.
    static func signature(_ path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        #if os(Linux)
            let (modified, changed) = (info.st_mtim, info.st_ctim)
        #else
            let (modified, changed) = (info.st_mtimespec, info.st_ctimespec)
        #endif
        return [
            Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(modified.tv_sec), Int(modified.tv_nsec),
            Int(changed.tv_sec), Int(changed.tv_nsec),
        ]
    }

    /// `path` as an SQLite URI that opens the file as immutable: no lock taken, no file created beside it.
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?mode=ro&immutable=1"
    }
}
