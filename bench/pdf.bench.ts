import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import puppeteer from 'puppeteer-core';
import { AppModule } from '../src/app.module';
import { procStatField } from '../src/common/proc-stat';
import { loadConfig } from '../src/config/app-config';
import { openDatabase } from '../src/database/data-source';
import { evaluateDemoCase } from '../src/demo/demo-evaluation';
import { seedDemo } from '../src/demo/seed-demo';
import { documentFontFile } from '../src/documents/document-fonts';
import { DocumentsService } from '../src/documents/documents.service';
import { PdfRenderer, processTree } from '../src/documents/pdf-renderer';
import { machineTicks, sharePct } from './paced-load';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 200);
const CASES = Number(process.env.BENCH_CASES ?? 40);
/** Renders in all, measured or not: enough to recycle the browser twice and look for leftovers. */
const TOTAL_RENDERS = Number(process.env.BENCH_TOTAL_RENDERS ?? 1000);
const COLD_DOCUMENTS = Number(process.env.BENCH_COLD_DOCUMENTS ?? DOCUMENTS);

/**
 * 200 real decisions (评价决议书 of adopted resolutions reached through the real services),
 * rendered by the service's own renderer (one long-lived Chromium, PDF_CONCURRENCY pages) and,
 * in the same run, the naive way: a browser launched per document, at the same concurrency.
 * Chromium's memory is its process tree's PSS, sampled every 100 ms.
 */
async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-bench-pdf-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, DATABASE_PATH: path.join(dir, 'bench.sqlite'), LOG_LEVEL: 'warn' });
  const dataSource = await openDatabase(config);
  await seedDemo(dataSource, config);
  await dataSource.destroy();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const meetings: number[] = [];
    for (let i = 0; i < CASES; i++) meetings.push((await evaluateDemoCase(app)).meetingId);
    const documents = app.get(DocumentsService);
    const html: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) html.push(await documents.previewHtml(meetings[i % meetings.length], 'decision'));
    const concurrency = config.PDF_CONCURRENCY;
    console.log(`${DOCUMENTS} decisions from ${meetings.length} adopted resolutions, ${concurrency} at a time`);

    // Warm-up: the first render launches Chromium and loads the font slices into its pages.
    const renderer = app.get(PdfRenderer);
    for (let i = 0; i < concurrency; i++) await renderer.render(html[i]);
    let peakPss = 0;
    let peakRss = 0;
    let lastPss = 0;
    // Every Chromium process ever seen, across browser recycling, to look for survivors at the end.
    // pid → start time, so a pid reused later by another process is not mistaken for a survivor.
    const seen = new Map<number, string | null>();
    const sample = () => {
      const tree = processTree(renderer.browserPid() ?? 0);
      tree.forEach((pid) => seen.has(pid) || seen.set(pid, startTime(pid)));
      // PSS means walking every page table of the tree: some 30 ms for ten processes, which took
      // a third of a core from the rendering when read every 100 ms. It is read when the resident
      // size (cheap, and never below PSS) reaches a new high, and once a second whatever it is.
      const rss = treeKib(tree, 'status', 'VmRSS');
      const now = performance.now();
      if (rss > peakRss || now - lastPss >= 1000) {
        peakRss = Math.max(peakRss, rss);
        lastPss = now;
        peakPss = Math.max(peakPss, treeKib(tree, 'smaps_rollup', 'Pss'));
      }
    };
    const sampler = setInterval(sample, 100);
    const latencies: number[] = [];
    const sizes: number[] = [];
    let pages = 0;
    const ticksBefore = machineTicks();
    const poolStart = performance.now();
    await inParallel(concurrency, DOCUMENTS, async (i) => {
      const t0 = performance.now();
      const pdf = await renderer.render(html[i]);
      latencies.push(performance.now() - t0);
      sizes.push(pdf.length);
      pages += countPages(pdf);
    });
    const poolSeconds = (performance.now() - poolStart) / 1000;
    const poolSteal = sharePct(ticksBefore, machineTicks(), 'steal');
    const measuredPeakPss = peakPss;
    // The rest, unmeasured: memory over a long run and the browser replaced every 400 documents.
    await inParallel(concurrency, Math.max(0, TOTAL_RENDERS - DOCUMENTS - concurrency), (i) => renderer.render(html[i % html.length]).then(() => undefined));
    sample();
    clearInterval(sampler);

    const coldStart = performance.now();
    await inParallel(concurrency, COLD_DOCUMENTS, (i) => coldRender(config.CHROMIUM_PATH, html[i]));
    const coldSeconds = ((performance.now() - coldStart) / 1000) * (DOCUMENTS / Math.max(1, COLD_DOCUMENTS));

    await app.close();
    const survivors = [...seen].filter(([pid, started]) => started !== null && startTime(pid) === started && !/\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))).map(([pid]) => pid);
    for (const pid of survivors) console.error(`still running: ${pid} ${fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0, 60)} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`);
    const leftover = survivors.length;
    latencies.sort((a, b) => a - b);
    const figures = {
      cold_pdf_per_s: round(DOCUMENTS / coldSeconds),
      pool_pdf_per_s: round(DOCUMENTS / poolSeconds),
      ratio: round(coldSeconds / poolSeconds),
      p50_ms: Math.round(latencies[Math.floor(latencies.length * 0.5)]),
      p90_ms: Math.round(latencies[Math.floor(latencies.length * 0.9)]),
      kib_per_pdf: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024),
      pages_per_pdf: round(pages / DOCUMENTS),
      chromium_peak_pss_mib: Math.round(measuredPeakPss / 1024),
      chromium_peak_pss_over_all_mib: Math.round(peakPss / 1024),
      renders_total: Math.max(TOTAL_RENDERS, DOCUMENTS + concurrency),
      chromium_processes_seen: seen.size,
      chromium_processes_left: leftover,
      documents: DOCUMENTS,
      concurrency,
      // CPU time the hypervisor gave to other guests while the pool rendered, in %.
      machine_steal_pct: poolSteal,
    };
    console.log(`pool ${figures.pool_pdf_per_s}/s vs a browser per document ${figures.cold_pdf_per_s}/s (×${figures.ratio}); p90 ${figures.p90_ms} ms; ${figures.kib_per_pdf} KiB over ${figures.pages_per_pdf} pages; Chromium peak ${figures.chromium_peak_pss_mib} MiB PSS`);
    console.log(JSON.stringify(figures));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The naive way: launch, render, close — per document. */
async function coldRender(executablePath: string, html: string): Promise<void> {
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const font = documentFontFile(request.url());
      if (font) void request.respond({ status: 200, contentType: 'font/woff2', headers: { 'access-control-allow-origin': '*' }, body: font });
      else if (request.url().startsWith('data:') || request.url() === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}

async function inParallel(workers: number, count: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < count) await job(next++);
  }));
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null if gone. */
function startTime(pid: number): string | null {
  try {
    return procStatField(pid, 22);
  } catch {
    return null;
  }
}

/**
 * One memory figure of Chromium's whole process tree, in KiB, summed from each process's
 * /proc/<pid>/<file> line `<field>: N kB`: `Pss` of `smaps_rollup` (a walk of the process's page
 * tables) or `VmRSS` of `status` (kept by the kernel, cheap).
 */
function treeKib(tree: number[], file: 'smaps_rollup' | 'status', field: 'Pss' | 'VmRSS'): number {
  const line = new RegExp(`^${field}:\\s+(\\d+)`, 'm');
  let total = 0;
  for (const p of tree) {
    try {
      total += Number(line.exec(fs.readFileSync(`/proc/${p}/${file}`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}

function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

const round = (n: number) => Math.round(n * 100) / 100;

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
