#ifndef ANNALS_CSQLITE_SHIM_H
#define ANNALS_CSQLITE_SHIM_H

#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which make every allocation take a process-wide mutex (about 6 % of
/// the instructions of a large tally import). Must run before the first connection opens; afterwards
/// SQLite refuses it (SQLITE_MISUSE) and nothing changes. sqlite3_config is variadic, which Swift cannot
/// call, hence this function.
static inline int annals_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
