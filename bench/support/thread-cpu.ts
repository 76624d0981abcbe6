import { readdirSync, readFileSync } from 'node:fs';

/** The groups the service's threads fall into (the workers name themselves: thread-name.ts). */
export const THREAD_GROUPS = ['main', 'writer', 'projection', 'other'] as const;
export type ThreadGroup = (typeof THREAD_GROUPS)[number];

const GROUP_OF_NAME: Readonly<Record<string, ThreadGroup>> = {
  'case-writer': 'writer',
  'case-projection': 'projection',
};

/** CPU seconds (utime + stime) of each thread of a process, by thread id, with its name. */
export type ThreadCpu = Map<number, { readonly group: ThreadGroup; readonly seconds: number }>;

/** Reads `/proc/<pid>/task/*`: a thread that ends while it is read is simply left out. */
export function threadCpuOf(pid: number): ThreadCpu {
  const threads: ThreadCpu = new Map();
  for (const entry of readdirSync(`/proc/${pid}/task`)) {
    const tid = Number(entry);
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const group = tid === pid ? 'main' : (GROUP_OF_NAME[name] ?? 'other');
      threads.set(tid, { group, seconds: cpuSecondsOfStat(`/proc/${pid}/task/${tid}/stat`) });
    } catch {
      // ended meanwhile
    }
  }
  return threads;
}

/** CPU seconds of the whole process. */
export function processCpuSeconds(pid: number): number {
  return cpuSecondsOfStat(`/proc/${pid}/stat`);
}

/**
 * CPU seconds each group spent between two readings. A thread that started in between counts
 * from zero; one that ended in between is lost (its time stays in the process total only).
 */
export function cpuByGroup(before: ThreadCpu, after: ThreadCpu): Record<ThreadGroup, number> {
  const spent: Record<ThreadGroup, number> = { main: 0, writer: 0, projection: 0, other: 0 };
  for (const [tid, { group, seconds }] of after) {
    spent[group] += seconds - (before.get(tid)?.seconds ?? 0);
  }
  return spent;
}

/** Utime + stime from a `stat` file, in seconds (clock ticks of 1/100 s). */
function cpuSecondsOfStat(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
