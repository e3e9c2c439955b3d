import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer, { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { DomainError } from '../common/domain-error';
import { procStatField } from '../common/proc-stat';
import { CHRT, runsIdle } from '../common/sched-idle';
import { AppConfig } from '../config/app-config';
import { documentFontFile } from './document-fonts';

/** Renders waiting for a page at most; past this a request is told to come back later. */
const QUEUE_LIMIT = 1000;
/** A browser is replaced after this many documents: Chromium's memory creeps up per render. */
const RECYCLE_AFTER = 400;
/**
 * Where each browser's throw-away profile goes: shared memory when there is some. Chromium writes
 * its profile (preferences, caches, its own SQLite files) as it starts; on the disk that made every
 * commit's fsync wait behind it, 20–195 ms at the start of a batch.
 */
const PROFILE_PARENT = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/** A profile folder's name: this prefix, the service's process id, a dash, random letters. */
const PROFILE_PREFIX = 'tianping-pdf-';
const PROFILE_NAME = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`);

/** Chromium runs at a lower priority than the service, so a batch cannot starve requests. */
const CHROMIUM_NICE = 10;

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-dev-shm-usage', '--disable-extensions', '--disable-default-apps', '--mute-audio', '--no-zygote-sandbox',
  // No crash reporter: its handler detaches from the browser's process tree and would outlive it.
  '--disable-crash-reporter', '--disable-breakpad',
];

/** The browser disconnected during a render (as opposed to the render timing out). */
class BrowserGone extends DomainError {
  constructor() {
    super('unavailable', '文书生成失败（浏览器进程意外退出），请稍后重试');
  }
}

interface Generation {
  browser: Browser;
  pid: number;
  profileDir: string;
  idle: Page[];
  active: number;
  renders: number;
  /** Out of service: no new renders; closed when the last one on it ends. */
  retired: boolean;
}

/**
 * The one door to Chromium (STYLE.md 8). One long-lived headless browser with at most
 * PDF_CONCURRENCY pages rendering at once and a bounded queue behind them. Each document
 * gets PDF_TIMEOUT_MS; a crash or hang fails that job cleanly, the browser is killed and the
 * next job gets a fresh one. Pages render with JavaScript off and every request blocked except
 * our own fonts, so text in a template can neither run nor fetch anything.
 */
@Injectable()
export class PdfRenderer implements OnModuleDestroy {
  private readonly logger = new Logger('PdfRenderer');
  private current: Generation | null = null;
  private launching: Promise<Generation> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  /** Requests the documents tried to make and were refused (for tests and the log). */
  blockedRequests = 0;

  constructor(private readonly config: AppConfig) {}

  /** HTML in, PDF out (A4 and margins come from the document's own @page rules). */
  async render(html: string): Promise<Buffer> {
    if (this.closed) throw new DomainError('unavailable', '文书服务正在关闭，请稍后再试');
    await this.acquire();
    try {
      try {
        return await this.renderOnce(html);
      } catch (error) {
        // Chromium died under this job (killed, crashed) rather than the job being too slow:
        // one more try on a fresh browser, so a crash between two jobs costs nobody anything.
        if (error instanceof BrowserGone) return await this.renderOnce(html);
        throw error;
      }
    } finally {
      this.release();
    }
  }

  /** Chromium's process id (for benchmarks measuring its memory), or null when none is running. */
  /** Whether the service is stopping (no more renders). */
  get closing(): boolean {
    return this.closed;
  }

  browserPid(): number | null {
    return this.current?.pid ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const generation = this.current ?? (this.launching ? await this.launching.catch(() => null) : null);
    this.current = null;
    if (generation) await this.shutdown(generation, false);
  }

  private async renderOnce(html: string): Promise<Buffer> {
    const generation = await this.generation();
    generation.active++;
    let page: Page | null = null;
    let healthy = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DomainError('unavailable', `文书生成超时（超过${Math.round(this.config.PDF_TIMEOUT_MS / 1000)}秒），请稍后重试`)), this.config.PDF_TIMEOUT_MS);
      });
      const work = (async () => {
        page = generation.idle.pop() ?? (await this.newPage(generation));
        await page.setContent(html, { waitUntil: 'load', timeout: this.config.PDF_TIMEOUT_MS });
        return Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: this.config.PDF_TIMEOUT_MS }));
      })();
      work.catch(() => undefined);
      const pdf = await Promise.race([work, timeout]);
      healthy = true;
      generation.renders++;
      return pdf;
    } catch (error) {
      // The service stopping mid-render (its warm-up, say) is not a failure worth a warning.
      if (this.closed) throw new DomainError('unavailable', '文书服务正在关闭，请稍后再试');
      this.logger.warn(`PDF render failed: ${(error as Error).message}`);
      if (error instanceof DomainError) throw error;
      if (!generation.browser.connected) throw new BrowserGone();
      throw new DomainError('unavailable', '文书生成失败，请稍后重试；如反复出现，请联系系统管理员');
    } finally {
      clearTimeout(timer);
      generation.active--;
      if (healthy && page) {
        generation.idle.push(page);
      } else {
        // A failed render may have left Chromium hung or crashed: replace the whole browser.
        this.retire(generation, true);
      }
      if (generation.renders >= RECYCLE_AFTER) this.retire(generation, false);
      // A recycled browser closes after the last render still on it.
      if (generation.retired && generation.active === 0) void this.shutdown(generation, false);
    }
  }

  private async generation(): Promise<Generation> {
    // Never a new browser once shutting down: a render that lost its browser to the shutdown
    // would otherwise launch another, which the exiting process might leave running (seen:
    // browsers re-parented to init after benchmarks stopped the service mid-batch).
    if (this.closed) throw new DomainError('unavailable', '文书服务正在关闭，请稍后再试');
    if (this.current && this.current.browser.connected) return this.current;
    if (this.current) this.retire(this.current, true);
    this.launching ??= this.launch().finally(() => (this.launching = null));
    return this.launching;
  }

  private async launch(): Promise<Generation> {
    sweepProfiles();
    const profileDir = fs.mkdtempSync(path.join(PROFILE_PARENT, `${PROFILE_PREFIX}${process.pid}-`));
    const options = {
      executablePath: this.config.CHROMIUM_PATH,
      headless: true,
      // CDP over a pipe, not a WebSocket: no framing and masking of every message on the
      // service's main thread (about a tenth of its CPU per document).
      pipe: true,
      args: FLAGS,
      userDataDir: profileDir,
      protocolTimeout: this.config.PDF_TIMEOUT_MS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    };
    // Started under SCHED_IDLE from its first instruction: chrt sets the policy and then becomes
    // Chromium (same pid), so the launch burst of a batch or a recycling never competes with requests.
    const browser = CHRT
      ? await puppeteer.launch({
        ...options,
        executablePath: CHRT,
        ignoreDefaultArgs: true,
        args: ['--idle', '0', this.config.CHROMIUM_PATH, ...(await puppeteer.defaultArgs({ ...options, args: [...FLAGS], browser: 'chrome' }))],
      })
      : await puppeteer.launch(options);
    const pid = browser.process()?.pid ?? 0;
    await lowerPriority(pid);
    const generation: Generation = { browser, pid, profileDir, idle: [], active: 0, renders: 0, retired: false };
    browser.on('disconnected', () => this.retire(generation, true));
    if (this.closed) {
      await this.shutdown(generation, false);
      throw new DomainError('unavailable', '文书服务正在关闭，请稍后再试');
    }
    this.current = generation;
    return generation;
  }

  private async newPage(generation: Generation): Promise<Page> {
    const page = await generation.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => void this.answer(request));
    return page;
  }

  /** Our fonts are served from memory; inline data stays inline; everything else is refused. */
  private async answer(request: HTTPRequest): Promise<void> {
    const url = request.url();
    try {
      const font = documentFontFile(url);
      if (font) return await fulfillFont(request, font);
      if (url.startsWith('data:') || url === 'about:blank') return await request.continue();
      this.blockedRequests++;
      this.logger.warn(`blocked a request from a document: ${url.slice(0, 120)}`);
      await request.abort('blockedbyclient');
    } catch {
      /* the page went away meanwhile */
    }
  }

  /** Takes a browser out of service: at once when broken or idle, else after its last render (renderOnce). */
  private retire(generation: Generation, broken: boolean): void {
    if (this.current === generation) this.current = null;
    generation.retired = true;
    if (broken || generation.active === 0) void this.shutdown(generation, broken);
  }

  private shutdowns = new WeakMap<Generation, Promise<void>>();

  /**
   * A healthy browser is closed politely (3 s at most); a broken one — hung or half-dead — is
   * killed at once. Either way nothing of its process tree survives, nor its profile folder.
   */
  private shutdown(generation: Generation, broken: boolean): Promise<void> {
    let done = this.shutdowns.get(generation);
    if (!done) {
      done = (async () => {
        // Listed first: once the browser process exits, its children are re-parented and lost.
        const tree = processTree(generation.pid);
        if (broken) killAll(tree);
        await Promise.race([generation.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, broken ? 500 : 3000).unref())]);
        killAll(tree);
        await gone(tree);
        await fs.promises.rm(generation.profileDir, { recursive: true, force: true });
      })();
      this.shutdowns.set(generation, done);
    }
    return done;
  }

  private acquire(): Promise<void> {
    if (this.running < this.config.PDF_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= QUEUE_LIMIT) return Promise.reject(new DomainError('unavailable', '文书生成任务过多，请稍后再试'));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

const FONT_HEADERS = { 'content-type': 'font/woff2', 'access-control-allow-origin': '*' };

/** Each font slice's answer as CDP wants it, worked out once (documentFontFile keeps one Buffer per slice). */
const fontAnswers = new WeakMap<Buffer, { responseCode: number; responseHeaders: { name: string; value: string }[]; body: string }>();

/**
 * Answers a font request with the slice's base64 kept from the last time. Puppeteer's respond()
 * encodes every body again in JavaScript: about 1 ms per slice on the service's main thread,
 * and a fresh browser asks for some 65 slices for its first resolution. Falls back to respond()
 * should puppeteer stop exposing the interception id.
 */
async function fulfillFont(request: HTTPRequest, font: Buffer): Promise<void> {
  const requestId = (request as unknown as { _interceptionId?: string })._interceptionId;
  if (!requestId) return request.respond({ status: 200, headers: FONT_HEADERS, body: font });
  let answer = fontAnswers.get(font);
  if (!answer) {
    const headers = { ...FONT_HEADERS, 'content-length': String(font.length) };
    answer = { responseCode: 200, responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })), body: font.toString('base64') };
    fontAnswers.set(font, answer);
  }
  await request.client.send('Fetch.fulfillRequest', { requestId, ...answer });
}

/** Chromium and every process it has started, by walking /proc (Linux). */
export function processTree(rootPid: number): number[] {
  if (!rootPid) return [];
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(procStatField(Number(entry), 4));
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]) ?? []));
  return tree.filter((pid) => fs.existsSync(`/proc/${pid}`));
}

/**
 * Chromium gets only the CPU the service leaves over: SCHED_IDLE (util-linux chrt), which every
 * process it forks inherits — Chromium resets the nice value of its renderers itself, but not
 * their scheduling policy. Launched through chrt, the tree is idle from the start and this finds
 * nothing to do; it is the safety net for a process that is not, and gives nice 10 where chrt is
 * missing.
 *
 * Chromium keeps starting processes while this runs, and one started before its parent's policy
 * changed keeps the normal one (seen: four utility processes of ten). So the tree is looked at
 * again until every process is idle, three rounds at most.
 */
async function lowerPriority(pid: number): Promise<void> {
  for (let round = 0; round < 3; round++) {
    // A process gone counts as done.
    const pending = processTree(pid).filter((p) => !(runsIdle(p) ?? true));
    if (pending.length === 0) return;
    for (const p of pending) {
      try {
        os.setPriority(p, CHROMIUM_NICE);
      } catch {
        /* not permitted: rendering still works, only without the priority hint */
      }
    }
    // Side by side and without blocking: waiting for each chrt in turn (spawnSync) held up every
    // request for the launch of each browser, at the start of a batch and at every recycling.
    const chrt = CHRT;
    if (chrt) await Promise.all(pending.map((p) => new Promise<void>((resolve) => execFile(chrt, ['--all-tasks', '--idle', '-p', '0', String(p)], () => resolve()))));
  }
}

/**
 * Removes the profiles of services that ended without closing their browser (killed, or the
 * machine lost power): in shared memory, each would hold its megabytes of RAM until reboot.
 * A folder whose service is still running, or that is not ours, is left alone.
 */
export function sweepProfiles(): void {
  let names: string[];
  try {
    names = fs.readdirSync(PROFILE_PARENT);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = PROFILE_NAME.exec(name)?.[1];
    if (!owner || fs.existsSync(`/proc/${owner}`)) continue;
    try {
      fs.rmSync(path.join(PROFILE_PARENT, name), { recursive: true, force: true });
    } catch {
      /* not ours to remove (another user's service): left as it is */
    }
  }
}

/** Waits (2 s at most) until every process of the list has exited or is a zombie awaiting its parent. */
async function gone(pids: number[]): Promise<void> {
  const alive = () => pids.filter((pid) => {
    try {
      return !/\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  });
  for (let i = 0; i < 40 && alive().length; i++) await new Promise((r) => setTimeout(r, 50));
}

function killAll(pids: number[]): void {
  for (const p of [...pids].reverse()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
