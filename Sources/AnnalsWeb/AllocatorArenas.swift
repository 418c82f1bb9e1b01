import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension WebApp {
    /// Limits glibc's allocator to one arena per core (two at least) for the server's process, unless the
    /// administrator set `MALLOC_ARENA_MAX` (then that is left as it is).
    ///
    /// glibc gives threads that allocate at the same time arenas of their own, up to eight per core, and an arena
    /// keeps the memory freed in it. The server's requests, imports and the registry's reads run on many threads, so
    /// the process held the high-water mark of each: on the load benchmark's PostgreSQL registry (100,000 papers),
    /// 603 MB after two 15,000-article uploads with readers running, against 288 MB with two arenas
    /// (docs/benchmark.md, "Web under load"). With no more arenas than cores, threads that run at once still do not
    /// wait for each other's allocations.
    public static func limitAllocatorArenas() {
        #if canImport(Glibc)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
            // `mallopt` and `M_ARENA_MAX` are declared in malloc.h, which Swift's Glibc module leaves out: the
            // function is looked up by name (nil is RTLD_DEFAULT), the constant is glibc's (-8, stable since 2.10).
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let arenaMax: Int32 = -8
            _ = unsafeBitCast(symbol, to: MallOpt.self)(
                arenaMax, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }

    /// Gives the memory freed by a large piece of work (an upload checked or imported) back to the system
    /// (`malloc_trim`), instead of keeping it in the allocator for the next one: the server's resident memory then
    /// falls back after each upload rather than staying at its highest.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
            // Declared in malloc.h, which Swift's Glibc module leaves out: looked up by name (nil is RTLD_DEFAULT).
            typealias MallocTrim = @convention(c) (Int) -> Int32
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
