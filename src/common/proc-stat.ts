import * as fs from 'node:fs';

/**
 * One field of /proc/<pid>/stat (Linux), numbered as in proc(5): 4 the parent's pid, 14 and 15
 * user and system CPU time in clock ticks, 22 the start time, 41 the scheduling policy. With
 * `task`, the stat of that one thread of the process. Throws once the process is gone.
 */
export function procStatField(pid: number, field: number, task?: number): string {
  const stat = fs.readFileSync(task === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`, 'utf8');
  // Field 2, the command name, is in parentheses and may hold spaces and parentheses itself:
  // the fields after it start past the last ')', with field 3.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3];
}
