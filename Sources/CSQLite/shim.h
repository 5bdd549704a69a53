#ifndef PCMOCK_CSQLITE_SHIM_H
#define PCMOCK_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import as a constant.
static inline sqlite3_destructor_type pcmock_sqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config and sqlite3_db_config are variadic, which Swift cannot call directly.
static inline int pcmock_sqlite_config_single_thread_off(void) { return sqlite3_config(SQLITE_CONFIG_MULTITHREAD); }
static inline int pcmock_sqlite_db_config_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}
#endif
