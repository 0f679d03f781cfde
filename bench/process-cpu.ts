// CPU time of this machine's processes from /proc, for benchmarks that set what the graph costs
// beside what PostgreSQL and the load generator cost for the same requests.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * User + system CPU seconds of all PostgreSQL server processes on this machine (Linux /proc; NaN
 * elsewhere), those that ended included: a backend that ends (a connection closed during a run)
 * leaves /proc, and its time goes to the postmaster's reaped children's time, counted here too.
 * Counting only the living ones gave negative figures when backends ended during a run.
 */
export function postgresCpuSeconds(): number {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') {
          const fields = statFields(entry);
          // utime, stime, and cutime, cstime: the children it has waited for.
          total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
        }
      } catch {
        // The process ended meanwhile.
      }
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

/**
 * The fields of /proc/<pid>/stat after the command's name (which is in parentheses and may hold
 * spaces and parentheses itself): [0] the state, [1] the parent's pid, [11] and [12] user and
 * system CPU in clock ticks, [13] and [14] those of the children it has waited for. Throws when
 * the process is gone.
 */
function statFields(pid: number | string | undefined): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The processes `pid` started, and those they started, from /proc (empty elsewhere). */
export function descendantPids(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const parent = Number(statFields(entry)[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return [];
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** User + system CPU seconds of a process and of every process it started (those still running). */
export function processTreeCpuSeconds(pid: number): number {
  return [pid, ...descendantPids(pid)].reduce((sum, one) => sum + (processCpuSeconds(one) || 0), 0);
}
