import Foundation

/// The one way Annals writes a file the user named (exports, reports, profiles, backups): never over the
/// registry itself or its -wal, -shm or -journal files, however the path is written (relative, through a
/// symbolic link, a hard link), and always to a temporary name in the same folder, renamed into place only
/// when complete, so an interrupted or failed write never leaves a partial file under the real name.
public enum OutputFile {
    /// Writes what `produce` hands its sink to `path`, replacing a file there only once all is written.
    /// `registry` is the registry the output comes from (nil for none, or a server registry): naming it,
    /// or one of its files, is refused before anything is written.
    public static func write(
        to path: String, sparing registry: RegistryStore?,
        _ produce: (@escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        if let registry, !registry.isServer { try refuseRegistry(path, registry: registry.path) }
        try place(path, replacing: true, mode: 0o666) { temporary in
            guard let handle = FileHandle(forWritingAtPath: temporary) else {
                throw StoreError(.cannotOpen, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            try produce { try handle.write(contentsOf: Data($0)) }
        }
    }

    /// Writes `text` (UTF-8) to `path`, as `write(to:sparing:_:)` does.
    public static func write(_ text: String, to path: String, sparing registry: RegistryStore?) throws {
        try write(to: path, sparing: registry) { sink in try Data(text.utf8).withUnsafeBytes { try sink($0) } }
    }

    /// Refuses `path` when it is the registry file `registry` or one of the files SQLite keeps beside it.
    public static func refuseRegistry(_ path: String, registry: String) throws(StoreError) {
        let suffixes = ["", "-wal", "-shm", "-journal"]
        let target = canonical(path)
        var names = Set(suffixes.map { canonical(registry + $0) })
        let resolved = canonical(registry)
        for suffix in suffixes { names.insert(resolved + suffix) }
        var hit = names.contains(target)
        if !hit, let identity = fileIdentity(path) {
            hit = suffixes.contains {
                fileIdentity(registry + $0) == identity || fileIdentity(resolved + $0) == identity
            }
        }
        if hit {
            throw StoreError(
                .cannotOpen,
                "\(path) is the registry \(registry) itself (or one of its own files); writing there would destroy it. Nothing was written; name another file"
            )
        }
    }

    /// Creates `path` through a temporary file beside it: `fill` writes the temporary file (created empty
    /// with `mode`, less the umask), which is then flushed to disk and renamed to `path` (when `replacing`)
    /// or linked to it only if `path` does not exist yet. On any failure the temporary file is removed.
    static func place(_ path: String, replacing: Bool, mode: mode_t, _ fill: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
            .path
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY, mode)
        guard fd >= 0 else { throw failure(path, folder: folder, errno) }
        close(fd)
        func removeTemporary() {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        do {
            try fill(temporary)
            let sync = open(temporary, O_RDONLY)
            if sync >= 0 {
                let synced = fsync(sync)
                let code = errno
                close(sync)
                if synced != 0 { throw failure(path, folder: folder, code) }
            }
            if replacing {
                guard rename(temporary, path) == 0 else { throw failure(path, folder: folder, errno) }
            } else {
                guard link(temporary, path) == 0 else {
                    if errno == EEXIST { throw StoreError(.cannotOpen, "\(path) already exists; name a new file") }
                    throw failure(path, folder: folder, errno)
                }
                unlink(temporary)
            }
            let folderFD = open(folder, O_RDONLY)
            if folderFD >= 0 {
                fsync(folderFD)
                close(folderFD)
            }
        } catch let error as StoreError {
            removeTemporary()
            throw error
        } catch {
            removeTemporary()
            if StoreError.diskIsFull(folder) {
                throw StoreError(
                    .diskFull,
                    "the disk holding \(path) is full; nothing was written. Free some space on it, or name a file on another disk"
                )
            }
            throw error
        }
    }

    static func failure(_ path: String, folder: String, _ code: Int32) -> StoreError {
        switch code {
        case ENOSPC, EDQUOT:
            return StoreError(
                .diskFull,
                "the disk holding \(path) is full; nothing was written. Free some space on it, or name a file on another disk"
            )
        case EACCES, EPERM, EROFS:
            return StoreError(.cannotOpen, "cannot write \(path): you may not write in the folder \(folder)")
        case ENOENT:
            return StoreError(.cannotOpen, "cannot write \(path): the folder \(folder) does not exist")
        case EISDIR:
            return StoreError(.cannotOpen, "cannot write \(path): it is a folder; name a file")
        default:
            return StoreError(.cannotOpen, "cannot write \(path): \(String(cString: strerror(code)))")
        }
    }

    /// `path` absolute, with symbolic links in it resolved (of the folder, when the file does not exist).
    static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if let resolved = realpath(folder, nil) {
            defer { free(resolved) }
            return String(cString: resolved) + "/" + url.lastPathComponent
        }
        return url.standardizedFileURL.path
    }

    static func fileIdentity(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_dev), Int(info.st_ino)]
    }
}
