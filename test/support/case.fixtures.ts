/** Case values the specs and the benchmarks share, as a client of the API would send them. */
export const QUEUE = {
  id: 'HQU-1234-1234',
  name: 'Business Onboarding',
  workflow: 'HWF-1234-4568',
};
export const OTHER_QUEUE = { id: 'HQU-5555-6666', name: 'Billing', workflow: 'HWF-5555-0001' };
export const ASSIGNEE = {
  id: 'USR-6375-2499',
  email: 'will@example.com',
  firstName: 'Will',
  lastName: 'Smith',
};
export const OTHER_ASSIGNEE = {
  id: 'USR-6375-2498',
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
};
export const CLIENT_ACCOUNT = { id: 'ACC-2000-0000', name: 'Stark Industries' };
export const CLIENT_REPORTER = { id: 'USR-2000-0001', name: 'Jane Doe' };
export const VISIBLE_PARAMETER = {
  id: 'PAR-1344-4634',
  name: 'Priority',
  scope: 'Case',
  phase: 'request',
  constraints: { visibleToReporter: true },
  externalId: 'ext-id-1234',
  value: 'Priority 1',
};
export const HIDDEN_PARAMETER = {
  id: 'PAR-9999-0001',
  name: 'Internal risk score',
  scope: 'Case',
  phase: 'request',
  constraints: { visibleToReporter: false },
  value: 7,
};

/** A case on the client's account, opened by operations on the client's behalf. */
export const clientCaseBody = (extra: Record<string, unknown> = {}) => ({
  queue: QUEUE,
  account: CLIENT_ACCOUNT,
  reporter: CLIENT_REPORTER,
  parameters: [VISIBLE_PARAMETER, HIDDEN_PARAMETER],
  ...extra,
});
