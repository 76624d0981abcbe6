/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and prints where the time went: the top
 * functions by self time, self time grouped by package or source file, and the inclusive time
 * of the steps of a command that issue 14 tunes (a step and everything it calls).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Steps of a request, each matched against `functionName file` of every frame on the stack. */
const STEPS: readonly (readonly [string, RegExp])[] = [
  ['token verification (identity/token-verifier)', /dist\/identity\/token-verifier\.js/],
  ['body validation (validateBody)', /^validateBody dist\/cases\/http\/case-body\.js/],
  [
    '  class-validator rules (derived or looked up)',
    /(getTargetValidationMetadatas|groupByPropertyName) /,
  ],
  ['command pipeline (dist/cases/application)', /dist\/cases\/application\//],
  ['read-model projection (dist/cases/projections)', /dist\/cases\/projections\//],
  ['reply serialization (fastify serialize)', /^serialize fastify\/lib\/reply\.js/],
  ['reply sending (fastify onSendEnd)', /^onSendEnd fastify\/lib\/reply\.js/],
];
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // V8's delta i is the time before sample i; attribute the following delta to sample i.
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byGroup = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const group = groupOf(url, functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  }
  const lines = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `CPU profile ${file}: ${(total / 1e6).toFixed(1)} s sampled (${threadOf(file)})`,
    'self time by package / source area:',
    ...lines(byGroup, 20),
    `top ${top} functions by self time:`,
    ...lines(byFunction, top),
    'inclusive time of request steps, as a share of the busy (non-idle) time:',
    ...stepLines(profile, selfUs),
  ].join('\n');
}

/** Each sample counts once for every step found on its stack, however deep or recursive. */
function stepLines(profile: Profile, selfUs: Map<number, number>): string[] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stepsOf = new Map<number, Set<number>>();
  const steps = (id: number): Set<number> => {
    let found = stepsOf.get(id);
    if (found) return found;
    const up = parent.get(id);
    found = new Set(up === undefined ? [] : steps(up));
    const { functionName, url } = byId.get(id)!.callFrame;
    const label = `${functionName} ${shorten(url)}`;
    STEPS.forEach(([, pattern], i) => pattern.test(label) && found!.add(i));
    stepsOf.set(id, found);
    return found;
  };
  const inStep = STEPS.map(() => 0);
  let busy = 0;
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    busy += us;
    for (const i of steps(id)) inStep[i]! += us;
  }
  return STEPS.map(
    ([name], i) => `  ${((100 * inStep[i]!) / (busy || 1)).toFixed(1).padStart(5)}%  ${name}`,
  );
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  const dist = path.indexOf('/dist/');
  if (dist >= 0) return path.slice(dist + 1);
  return path;
}

function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return 'node core';
  const dist = path.indexOf('/dist/');
  if (dist >= 0)
    return `service ${path
      .slice(dist + 1)
      .split('/')
      .slice(0, 3)
      .join('/')}`;
  return path;
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: http-profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(file, top ? Number(top) : 25)}\n`);
}

/**
 * `--cpu-prof` writes one file per thread, `CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile`:
 * thread 0 is the main thread; the workers (the store's writer, then the projection thread, in
 * the order they start) follow.
 */
function threadOf(file: string): string {
  const threadId = /\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1];
  if (threadId === undefined) return 'thread unknown';
  return threadId === '0' ? 'main thread' : `worker thread ${threadId}`;
}
