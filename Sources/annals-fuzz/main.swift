// libFuzzer entry for Annals' importers and value parsers. Built with the fuzzer and address sanitizer:
//
//   scripts/fuzz.sh registry|pubmed|endnote|cerif|xlsx|values [RUNS]
//
// Each input is written to a file and read by one importer (the reading and conversion, without a
// registry), so the fuzzer exercises exactly the code a user's file goes through: the secure
// streaming reader over our own zlib input (so gzip inputs are read too), schema validation for
// registry files, and the conversion of every record into model values. The office targets (Office.swift)
// read a workbook, a tally CSV or a form against an in-memory registry that refuses every write
// (FuzzRegistry.swift). Errors are the expected outcome for most inputs; a crash, a leak or a hang is a
// finding.
//
// Per execution there is no set-up: the registry schema is compiled and the sample registry read once,
// before the first input (`LLVMFuzzerInitialize`), no database is opened, and the scratch file lives in
// memory (/dev/shm) when the machine has it.
import AnnalsInterchange
import Foundation

let target = ProcessInfo.processInfo.environment["ANNALS_FUZZ_TARGET"] ?? "registry"
let scratch: URL = {
    let memory = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
    var isDirectory: ObjCBool = false
    let folder =
        FileManager.default.fileExists(atPath: memory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        ? memory : FileManager.default.temporaryDirectory
    return folder.appendingPathComponent("annals-fuzz-\(getpid()).xml")
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    guard ["registry", "pubmed", "endnote", "cerif", "xlsx", "values"].contains(target) else {
        FileHandle.standardError.write(
            Data("annals-fuzz: ANNALS_FUZZ_TARGET must be registry, pubmed, endnote, cerif, xlsx or values\n".utf8))
        exit(2)
    }
    atexit { unlink(scratch.path) }
    if target == "xlsx" || target == "values" {
        do {
            try OfficeFuzz.initialize()
            // scripts/fuzz.sh asks for the seeds only Annals can write (workbooks, forms) before fuzzing.
            if let folder = ProcessInfo.processInfo.environment["ANNALS_FUZZ_WRITE_SEEDS"] {
                try OfficeFuzz.writeSeeds(target: target, to: URL(fileURLWithPath: folder, isDirectory: true))
                exit(0)
            }
        } catch {
            FileHandle.standardError.write(Data("annals-fuzz: cannot set up the \(target) target: \(error)\n".utf8))
            exit(2)
        }
    }
    if target == "registry" {
        do {
            _ = try RegistryImporter.schema()
        } catch {
            FileHandle.standardError.write(Data("annals-fuzz: the registry schema does not compile: \(error)\n".utf8))
            exit(2)
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    switch target {
    case "xlsx":
        OfficeFuzz.xlsx(UnsafeBufferPointer(start: data, count: size), scratch: scratch)
        return 0
    case "values":
        OfficeFuzz.values(UnsafeBufferPointer(start: data, count: size), scratch: scratch)
        return 0
    default: break
    }
    guard FileManager.default.createFile(atPath: scratch.path, contents: Data(bytes: data, count: size)) else {
        FileHandle.standardError.write(Data("annals-fuzz: cannot write \(scratch.path)\n".utf8))
        exit(2)
    }
    switch target {
    case "pubmed":
        try? PubMedReader.read(file: scratch, displayName: "fuzz.xml") { _ in }
    case "endnote":
        try? EndNoteReader.read(file: scratch, displayName: "fuzz.xml") { _ in }
    case "cerif":
        _ = try? CerifImporter.read(file: scratch, displayName: "fuzz.xml")
    default:
        _ = try? RegistryImporter.read(file: scratch, displayName: "fuzz.xml")
    }
    return 0
}

#if ANNALS_FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's entry point under this name; hand control to libFuzzer's driver.
    @_cdecl("annals_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzz)
    }
#endif
// An ordinary build (swift build) has no libFuzzer and does nothing when run: use scripts/fuzz.sh.
