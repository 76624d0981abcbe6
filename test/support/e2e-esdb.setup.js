// The `e2e-esdb` jest project: the end-to-end specs once more, through the EventStoreDB adapter.
process.env.E2E_STORE = 'esdb';
