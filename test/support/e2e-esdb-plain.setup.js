// The `e2e-esdb-plain` jest project: the end-to-end specs through the EventStoreDB adapter against
// a double that speaks only the plain Append path, as servers before 21.10 do.
process.env.E2E_STORE = 'esdb';
process.env.E2E_ESDB_APPEND_MODE = 'plain';
