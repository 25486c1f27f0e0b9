// The bots stand in for other people's computers, but here they share two cores with the page and
// the media server being measured. WebRTC runs most of each bot's threads at real-time priority (650
// of them at 100 bots), so every 10 ms audio tick of every bot preempted the page's main thread: a
// 3 ms update of the grid took 10 to 20 ms of wall time, and a speaker change's p95 measured the
// bots, not the widget. Yielding puts this process's threads (the bots, and the token server that
// runs beside them) at the lowest priority under normal scheduling. Chromium and the media server
// are other processes and keep theirs.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

const LOWEST = 19;
/** The scheduling policy field of /proc/<pid>/task/<tid>/stat (field 41; 0 is SCHED_OTHER). */
const POLICY_FIELD = 41;

export interface Yielded {
  threads: number;
  /** Threads that ran under a real-time policy before. */
  realtime: number;
  /**
   * Puts this process's threads back at nice 0, so what it starts next (a media server, a browser
   * for the next size of a bench) does not inherit the lowest priority. Needs root or CAP_SYS_NICE;
   * says false when it could not.
   */
  restore(): boolean;
}

function policyOf(tid: string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[POLICY_FIELD - 3] ?? 0);
}

/**
 * Lowers every thread of this process to nice 19 and normal scheduling. Threads started later
 * inherit from whichever thread starts them, so call it once the bots have joined and published.
 * Linux only; elsewhere, or without `chrt`, it changes what it can and says so in the counts.
 */
export function yieldToMeasured(): Yielded {
  let threads = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return { threads, realtime: 0, restore: () => true };
  }
  let realtime = realtimeThreads();
  for (const tid of tids) {
    try {
      setPriority(Number(tid), LOWEST);
      threads++;
    } catch {
      // The thread ended meanwhile.
    }
  }
  if (realtime > 0) {
    try {
      // -a: every thread of the process; -o: SCHED_OTHER (priority 0).
      execFileSync('chrt', ['-a', '-o', '-p', '0', String(process.pid)], { stdio: 'ignore' });
    } catch {
      realtime = 0;
    }
  }
  return { threads, realtime, restore };
}

function restore(): boolean {
  let restored = true;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      setPriority(Number(tid), 0);
    } catch (error) {
      // A thread that ended meanwhile (libuv's ESRCH) is fine; a refusal is not.
      if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') restored = false;
    }
  }
  return restored;
}

/** How many of this process's threads still run under a real-time policy. */
export function realtimeThreads(): number {
  try {
    return readdirSync('/proc/self/task').filter((tid) => {
      try {
        return policyOf(tid) !== 0;
      } catch {
        return false;
      }
    }).length;
  } catch {
    return 0;
  }
}
