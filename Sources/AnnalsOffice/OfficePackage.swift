import AnnalsDiagnostics
import Foundation
internal import ZIPFoundation

/// An Office Open XML file (.xlsx, .docx) opened for reading: a ZIP archive whose parts are checked
/// before anything is extracted.
///
/// Refused with a message that says what to do: an old binary .xls (an OLE2 compound file), a
/// password-protected workbook (Office stores those as an OLE2 container holding `EncryptedPackage`),
/// a file that is not a ZIP archive, and a ZIP bomb: the declared sizes of all parts, and their ratio
/// to the compressed sizes, are checked before extraction, and extraction stops at the declared size
/// (a part that lies about its size is refused too).
final class OfficePackage {
    /// The most bytes all parts together may hold once extracted.
    static let maximumTotalSize: UInt64 = 256 << 20
    /// The most bytes one part may hold once extracted.
    static let maximumPartSize: UInt64 = 128 << 20
    /// The most one part may grow in extraction (uncompressed ÷ compressed), for parts over 1 MB.
    /// Spreadsheet XML compresses 10 to 40 times in real files; a ZIP bomb, a thousand times and more.
    static let maximumRatio: UInt64 = 200
    /// The most parts an Office file may have.
    static let maximumParts = 10_000

    let displayName: String
    private let archive: Archive
    private var entries: [String: Entry] = [:]
    /// Where extracted parts go; removed when the package is released.
    private let scratch: URL

    init(file: URL, displayName: String, expected: String) throws {
        self.displayName = displayName
        try Self.checkSignature(file, displayName: displayName, expected: expected)
        do {
            archive = try Archive(url: file, accessMode: .read)
        } catch {
            throw Self.refusal(
                .officeDamaged, displayName,
                "is not a readable \(expected) file (its ZIP structure is damaged). Open it in Excel or WPS and save it again as \(expected)."
            )
        }
        var total: UInt64 = 0
        var count = 0
        for entry in archive {
            count += 1
            if count > Self.maximumParts {
                throw Self.refusal(
                    .officeTooLarge, displayName,
                    "holds more than \(Self.maximumParts) parts, which no real \(expected) file has; it was not opened (a ZIP bomb is built this way)."
                )
            }
            let size = entry.uncompressedSize
            total += size
            if size > Self.maximumPartSize || total > Self.maximumTotalSize {
                throw Self.refusal(
                    .officeTooLarge, displayName,
                    "would unpack to more than \(Self.maximumTotalSize >> 20) MB (part \(entry.path) alone is \(size >> 20) MB), more than Annals reads; nothing was extracted. Split the workbook, or save the sheet as CSV."
                )
            }
            if size > 1 << 20, size / max(entry.compressedSize, 1) > Self.maximumRatio {
                throw Self.refusal(
                    .officeTooLarge, displayName,
                    "part \(entry.path) would grow \(size / max(entry.compressedSize, 1)) times when unpacked, as only a ZIP bomb does; nothing was extracted. Save the file again from Excel or WPS."
                )
            }
            entries[entry.path] = entry
        }
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("annals-office-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// True when the archive has a part at `path` (no leading slash).
    func has(_ path: String) -> Bool { entries[path] != nil }

    /// The part at `path`, extracted into a temporary file (removed with the package); nil when absent.
    func extract(_ path: String) throws -> URL? {
        guard let entry = entries[path] else { return nil }
        let url = scratch.appendingPathComponent(UUID().uuidString + ".xml")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written: UInt64 = 0
        let limit = entry.uncompressedSize
        struct Overflow: Error {}
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data in
                written += UInt64(data.count)
                if written > limit { throw Overflow() }
                if written == UInt64(data.count), data.count >= 2, data[data.startIndex] == 0x1F,
                    data[data.startIndex + 1] == 0x8B
                {
                    throw Overflow()  // gzip inside the archive: never decompressed a second time
                }
                handle.write(data)
            }
        } catch is Overflow {
            throw Self.refusal(
                .officeTooLarge, displayName,
                "part \(path) holds more than it declares (or is compressed twice); it was not read. Save the file again from Excel or WPS."
            )
        } catch {
            throw Self.refusal(
                .officeDamaged, displayName,
                "part \(path) cannot be unpacked (\(error)); the file is damaged. Open it in Excel or WPS and save it again."
            )
        }
        return url
    }

    /// Checks the first bytes: a ZIP archive, not an OLE2 compound file.
    private static func checkSignature(_ file: URL, displayName: String, expected: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
            throw refusal(.fileMissing, displayName, "no such file. Check the path and try again.")
        }
        if isDirectory.boolValue {
            throw refusal(
                .fileIsFolder, displayName, "this is a folder, not a file. Name the \(expected) file inside it.")
        }
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw refusal(.fileUnreadable, displayName, "cannot be opened. Check that you may read it.")
        }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 8)
        let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        if Array(head) == ole2 {
            // A password-protected .xlsx/.docx is an OLE2 file with an EncryptedPackage stream; its
            // directory names the streams in UTF-16LE.
            try? handle.seek(toOffset: 0)
            let body = handle.readData(ofLength: 16 << 20)
            let marker = Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if body.range(of: marker) != nil {
                throw refusal(
                    .officeEncrypted, displayName,
                    "is protected with a password, so Annals cannot read it. Open it in Excel or WPS, remove the password (File > Info > Protect Workbook, or 文件 > 文档加密), save, and import it again."
                )
            }
            throw refusal(
                .officeOldFormat, displayName,
                "is an old Excel 97–2003 file (.xls or .doc), which Annals does not read. Open it in Excel or WPS and save it as \(expected) (另存为 \(expected)), then import that file."
            )
        }
        guard head.count >= 4, Array(head.prefix(4)) == [0x50, 0x4B, 0x03, 0x04] else {
            let hint =
                head.isEmpty
                ? "is empty"
                : "is not an \(expected) file (it is not a ZIP archive; a CSV or HTML file renamed to \(expected) looks like this)"
            throw refusal(.officeNotOffice, displayName, "\(hint). Open it in Excel or WPS and save it as \(expected).")
        }
    }

    static func refusal(_ code: Diagnostic.Code, _ file: String, _ message: String) -> DiagnosticError {
        DiagnosticError(Diagnostic(code, at: .init(file: file), message: message))
    }
}

@available(*, unavailable)
extension OfficePackage: Sendable {}
