import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The running service's process id, in the data folder while it runs, so that commands which must
 * not run beside it (a restore swaps the database file under it) can refuse. A file left by a
 * service that was killed names a process that is gone, and is ignored.
 */
export function serviceFile(dataDir: string): string {
  return path.join(dataDir, 'service.pid');
}

/** Writes this process's id; returns the function that removes it again at shutdown. */
export function announceService(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(serviceFile(dataDir), String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(serviceFile(dataDir), 'utf8').trim() === String(process.pid)) fs.rmSync(serviceFile(dataDir));
    } catch {
      // Gone already.
    }
  };
}

/** The id of a service running on this data folder, or null. */
export function runningService(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(serviceFile(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
