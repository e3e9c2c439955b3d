import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { procStatField } from '../../src/common/proc-stat';
import { correctDemoResolution } from '../../src/demo/demo-evaluation';
import { Department } from '../../src/departments/department.entity';
import { DocumentTemplates, FONT_MARKER } from '../../src/documents/document-templates';
import { DocumentsService } from '../../src/documents/documents.service';
import { groupedCode } from '../../src/documents/domain/official-document';
import { IssuedDocument } from '../../src/documents/issued-document.entity';
import { PdfRenderer, processTree, sweepProfiles } from '../../src/documents/pdf-renderer';
import { UserAccount } from '../../src/auth/user-account.entity';
import { AppConfig } from '../../src/config/app-config';
import { binary } from '../support/binary';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { adoptedResolution } from '../support/resolution';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/documents');

/** What poppler reads back from a PDF: text, fonts, page size and count. */
function readPdf(pdf: Buffer) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-pdf-')), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  return {
    file,
    text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
    info: execFileSync('pdfinfo', [file], { encoding: 'utf8' }),
  };
}

describe('official documents', () => {
  let t: TestApp;
  let meetingId: number;
  let caseId: number;
  let liaisonDepartment: number;
  let otherDepartment: number;
  // A server on this machine that no document may ever reach.
  let hits = 0;
  let trap: http.Server;
  let trapPort: number;

  beforeAll(async () => {
    trap = http.createServer((_, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    trapPort = (trap.address() as { port: number }).port;
    t = await createTestApp({ evaluatorScale: 0.25, env: { PDF_TIMEOUT_MS: '4000' } });
    const departments = t.dataSource.getRepository(Department);
    liaisonDepartment = (await departments.findOneByOrFail({ name: '市住房和城乡建设局' })).id;
    otherDepartment = (await departments.findOneByOrFail({ name: '市民政局' })).id;
    ({ caseId, meetingId } = await adoptedResolution(t, { departmentIds: [liaisonDepartment, otherDepartment] }));
    // The department the panel found at fault gets the measures, and so the assignment letter.
    const [solve] = await t.dataSource.query(`SELECT departmentId FROM measure WHERE caseId = ? AND kind = 'solve'`, [caseId]);
    if (solve.departmentId !== liaisonDepartment) [liaisonDepartment, otherDepartment] = [otherDepartment, liaisonDepartment];
  });
  afterAll(async () => {
    await t.close();
    trap.close();
  });

  it('starts Chromium before the first document is asked for, writing nothing, and issues on that browser', async () => {
    const renderer = t.app.get(PdfRenderer);
    const written = () => t.dataSource.query(`SELECT (SELECT COUNT(*) FROM document) AS documents, (SELECT COUNT(*) FROM audit_entry) AS audited`);
    expect(renderer.browserPid()).toBeNull();
    const before = await written();
    await t.app.get(DocumentsService).warmUp();
    const warmed = renderer.browserPid();
    expect(warmed).toBeGreaterThan(0);
    expect(await written()).toEqual(before);
    const staff = await loginAs(t, 'staff');
    expect((await staff.get(`/meetings/${meetingId}/documents/preview/notice`).buffer(true).parse(binary)).status).toBe(200);
    expect(renderer.browserPid()).toBe(warmed);
  });

  it('issues the decision, one assignment letter per department with measures, the notice and the fact confirmation — once', async () => {
    const staff = await loginAs(t, 'staff');
    const issued = await staff.post(`/api/meetings/${meetingId}/documents`).set('x-csrf-token', staff.csrfToken);
    expect(issued.status).toBe(201);
    expect(issued.body.map((d: IssuedDocument) => [d.kind, d.departmentId])).toEqual([['decision', null], ['assignment', liaisonDepartment], ['notice', null], ['facts', null]]);
    expect(issued.body[0].number).toMatch(/^商信联评〔\d{4}〕1号$/);
    const again = await staff.post(`/api/meetings/${meetingId}/documents`).set('x-csrf-token', staff.csrfToken);
    expect(again.body.map((d: IssuedDocument) => d.id)).toEqual(issued.body.map((d: IssuedDocument) => d.id));
    // Every font slice the documents asked for was ours and was served.
    expect(t.app.get(PdfRenderer).blockedRequests).toBe(0);

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const kase = await t.dataSource.query(`SELECT caseNumber, title FROM petition_case WHERE id = ?`, [caseId]);
    const names: string[] = (await t.dataSource.query(`SELECT e.name FROM panel_member pm JOIN evaluator e ON e.id = pm.evaluatorId JOIN meeting m ON m.panelId = pm.panelId WHERE m.id = ? AND pm.state = 'accepted'`, [meetingId])).map((r: { name: string }) => r.name);
    for (const d of issued.body as IssuedDocument[]) {
      const res = await staff.get(`/documents/${d.id}/pdf`).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(createHash('sha256').update(res.body).digest('hex')).toBe(d.sha256);
      const pdf = readPdf(res.body);
      expect(pdf.info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
      // Chinese text extracts: the case number, the title, the document number.
      const flat = pdf.text.replace(/\s+/g, '');
      expect(flat).toContain(kase[0].caseNumber);
      expect(flat).toContain(d.number);
      expect(flat).toContain(d.verificationCode);
      // Fonts embedded as TrueType subsets, never Type 3.
      expect(pdf.fonts).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
      expect(pdf.fonts).not.toMatch(/Type 3/);
      if (d.kind === 'decision') {
        // From the paper to the proof: the draw's public code and the meeting's audit trail.
        const [{ publicCode }] = await t.dataSource.query(`SELECT publicCode FROM draw WHERE caseId = ?`, [caseId]);
        expect(flat).toContain(`抽选验证码${publicCode}`);
        expect(flat).toContain(`评价会议#${meetingId}`);
        expect(flat).toContain('诉求部分合理');
        expect(flat).toContain('保留意见');
        for (const name of names) expect(flat).toContain(name);
      }
      if (d.kind === 'notice') for (const name of names) expect(flat).not.toContain(name);
      execFileSync('pdftoppm', ['-png', '-r', '60', pdf.file, path.join(ARTIFACTS, `${d.kind}${d.departmentId ? `-${d.departmentId}` : ''}`)]);
    }
  });

  it('previews a document before issuing, unnumbered and unverifiable', async () => {
    const staff = await loginAs(t, 'staff');
    const preview = await staff.get(`/meetings/${meetingId}/documents/preview/notice`).buffer(true).parse(binary);
    expect(preview.status).toBe(200);
    expect(readPdf(preview.body).text.replace(/\s+/g, '')).toContain('商信联告〔预览〕');
    expect((await staff.get(`/meetings/${meetingId}/documents/preview/verdict`)).status).toBe(404);
  });

  it('lets a liaison download only their own department’s assignment letter', async () => {
    const docs = await t.dataSource.getRepository(IssuedDocument).find({ where: { meetingId } });
    const letter = docs.find((d) => d.kind === 'assignment')!;
    const decision = docs.find((d) => d.kind === 'decision')!;
    await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: liaisonDepartment });
    const liaison = await loginAs(t, 'liaison');
    expect((await liaison.get(`/documents/${letter.id}/pdf`)).status).toBe(200);
    expect((await liaison.get(`/documents/${decision.id}/pdf`)).status).toBe(404);
    const page = await liaison.get('/department/documents');
    expect(page.text).toContain(letter.number);
    await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: otherDepartment });
    expect((await liaison.get(`/documents/${letter.id}/pdf`)).status).toBe(404);
    expect((await liaison.get('/department/documents')).text).not.toContain(letter.number);
  });

  it('verifies a document by its code without personal data, and shows it superseded after a correction', async () => {
    const decision = (await t.dataSource.getRepository(IssuedDocument).findOneByOrFail({ meetingId, kind: 'decision', status: 'current' }));
    const grouped = groupedCode(decision.verificationCode);
    const viaQr = await request(t.http).get(`/verify?code=${decision.verificationCode}`);
    expect(viaQr.status).toBe(303);
    expect(viaQr.headers.location).toBe(`/verify/documents?code=${decision.verificationCode}`);
    const page = await request(t.http).get(`/verify/documents?code=${encodeURIComponent(grouped)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(decision.sha256);
    expect(page.text).toContain('现行有效版本');
    const kase = await t.dataSource.query(`SELECT petitionerName FROM petition_case WHERE id = ?`, [caseId]);
    expect(page.text).not.toContain(kase[0].petitionerName);

    await correctDemoResolution(t.app, meetingId, 15, '办结期限调整为15日');
    const staff = await loginAs(t, 'staff');
    const reissued = await staff.post(`/api/meetings/${meetingId}/documents`).set('x-csrf-token', staff.csrfToken);
    expect(reissued.status).toBe(201);
    expect(reissued.body[0].number).toMatch(/〔\d{4}〕2号$/);
    const api = await request(t.http).get(`/api/verify/documents/${decision.verificationCode}`);
    expect(api.body).toMatchObject({ current: false, sha256: decision.sha256, number: decision.number });
    expect((await request(t.http).get(`/api/verify/documents/${reissued.body[0].verificationCode}`)).body.current).toBe(true);
    expect((await request(t.http).get('/api/verify/documents/0000000000000000')).status).toBe(404);
    const casePage = await staff.get(`/cases/${caseId}/documents`);
    expect(casePage.text).toContain('已作废的文书');
  });

  it('renders hostile text inert: no script runs, nothing is fetched', async () => {
    const renderer = t.app.get(PdfRenderer);
    const blockedBefore = renderer.blockedRequests;
    const hostile = [`<script>document.title='pwned'</script>`, `<img src=http://127.0.0.1:${trapPort}/img>`, `<iframe src=file:///etc/passwd></iframe>`, `<link rel=stylesheet href=http://127.0.0.1:${trapPort}/css>`].join(' ');
    const { meetingId: evil } = await adoptedResolution(t, { departmentIds: [otherDepartment], title: `征收补偿争议<script>document.title='pwned'</script>`, demandSummary: hostile });
    const staff = await loginAs(t, 'staff');
    const issued = await staff.post(`/api/meetings/${evil}/documents`).set('x-csrf-token', staff.csrfToken);
    expect(issued.status).toBe(201);
    const pdf = readPdf((await staff.get(`/documents/${issued.body[0].id}/pdf`).buffer(true).parse(binary)).body);
    const flat = pdf.text.replace(/\s+/g, '');
    expect(flat).toContain(`<script>document.title='pwned'</script>`);
    expect(flat).toContain(`<imgsrc=http://127.0.0.1:${trapPort}/img>`);
    expect(flat).toContain('<iframesrc=file:///etc/passwd></iframe>');
    expect(flat).not.toContain('root:x:0');
    expect(hits).toBe(0);
    expect(renderer.blockedRequests).toBe(blockedBefore);
  });

  it('runs Chromium, its zygotes and every renderer at idle priority, so rendering cannot starve requests', async () => {
    const renderer = t.app.get(PdfRenderer);
    await renderer.render('<!doctype html><meta charset="utf-8"><p>优先级</p>');
    const tree = processTree(renderer.browserPid()!);
    // Field 41 of /proc/<pid>/stat is the scheduling policy; SCHED_IDLE is 5. A short-lived
    // helper may exit between the listing and the look: only the processes still there count.
    const policies = tree.flatMap((pid) => {
      try {
        return [Number(procStatField(pid, 41))];
      } catch {
        return [];
      }
    });
    expect(policies.length).toBeGreaterThan(2);
    expect(policies).toEqual(policies.map(() => 5));
  });

  it('blocks what markup in a document would fetch, should it ever get past the escaping', async () => {
    // A renderer of its own: on the service's reused pages an earlier document's CSP already
    // refuses these before they become requests; this checks the interception layer alone.
    const renderer = new PdfRenderer(t.app.get(AppConfig));
    const blockedBefore = renderer.blockedRequests;
    const pdf = await renderer.render(`<!doctype html><meta charset="utf-8"><p>测试</p><img src="http://127.0.0.1:${trapPort}/raw"><img src="http://tracker.example.com/pixel.gif"><link rel="stylesheet" href="https://cdn.example.com/x.css">`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(renderer.blockedRequests).toBeGreaterThanOrEqual(blockedBefore + 2);
    expect(hits).toBe(0);
    await renderer.onModuleDestroy();
  });

  it('keeps the browser profile in shared memory, off the disk the database syncs to, and removes it with the browser', async () => {
    const renderer = new PdfRenderer(t.app.get(AppConfig));
    await renderer.render('<!doctype html><meta charset="utf-8"><p>档案</p>');
    const args = fs.readFileSync(`/proc/${renderer.browserPid()}/cmdline`, 'utf8').split('\0');
    const profile = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length) ?? '';
    expect(profile).toMatch(new RegExp(`^/dev/shm/tianping-pdf-${process.pid}-`));
    expect(fs.existsSync(profile)).toBe(true);
    await renderer.onModuleDestroy();
    expect(fs.existsSync(profile)).toBe(false);
  });

  it('clears away the profiles of services that died without closing their browser, and only those', () => {
    const dead = spawnSync('true').pid!;
    const orphan = fs.mkdtempSync(`/dev/shm/tianping-pdf-${dead}-`);
    fs.writeFileSync(path.join(orphan, 'Local State'), '{}');
    const live = fs.mkdtempSync(`/dev/shm/tianping-pdf-${process.pid}-`);
    const foreign = fs.mkdtempSync('/dev/shm/someone-else-');
    sweepProfiles();
    expect([fs.existsSync(orphan), fs.existsSync(live), fs.existsSync(foreign)]).toEqual([false, true, true]);
    fs.rmSync(live, { recursive: true });
    fs.rmSync(foreign, { recursive: true });
  });

  it('packs every document of a resolution into one zip, with progress to poll', async () => {
    const staff = await loginAs(t, 'staff');
    const started = await staff.post('/api/documents/batches').set('x-csrf-token', staff.csrfToken).send({ meetingId });
    expect(started.status).toBe(201);
    let job = started.body;
    const seen: number[] = [job.percent];
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await staff.get(`/api/documents/batches/${job.id}`)).body;
      seen.push(job.percent);
    }
    // Progress only ever moves forward, and ends at 100.
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(job).toMatchObject({ status: 'done', percent: 100, documents: 4 });
    const zip = await staff.get(job.zipUrl).buffer(true).parse(binary);
    expect(zip.headers['content-type']).toBe('application/zip');
    // One central-directory entry per PDF.
    expect(zip.body.toString('latin1').split('PK\x01\x02').length - 1).toBe(4);
    expect((await staff.post('/api/documents/batches').set('x-csrf-token', staff.csrfToken).send({ month: '2026-13' })).status).toBe(422);
    const auditor = await loginAs(t, 'auditor');
    expect((await auditor.get(`/api/documents/batches/${job.id}`)).status).toBe(403);
    const register = await auditor.get('/documents?kind=decision');
    expect(register.status).toBe(200);
    expect(register.text).toMatch(/商信联评〔\d{4}〕1号/);
    expect(register.text).not.toContain('商信联交');

    // The page version: the form starts a batch and lands on its progress page.
    const form = await staff.post('/documents/batches').type('form').send({ _csrf: staff.csrfToken, meetingId: String(meetingId) });
    expect(form.status).toBe(303);
    const progress = await staff.get(form.headers.location);
    expect(progress.status).toBe(200);
    expect(progress.text).toContain('<progress');
    // Left, the zip is found again on the register page; not by someone else.
    expect((await staff.get('/documents')).text).toContain(`href="/documents/batches/${job.id}"`);
    expect((await auditor.get('/documents')).text).not.toContain('/documents/batches/');
  });

  it('fails a broken template with a clear error naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-templates-'));
    fs.cpSync(path.resolve(__dirname, '../../templates/documents'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'decision.hbs'), '{{#> frame}}{{#each items}}<p>{{text}}</p>{{/frame}}');
    const templates = new DocumentTemplates(dir);
    expect(() => templates.render('decision', { issuer: 'x', addressee: null, doc: { title: 't', number: 'n', code: 'c', date: 'd' }, verifyUrl: 'v', qrSvg: '' })).toThrow(/decision\.hbs/);
  });

  it('puts the font rules in the style even when a field carries the place-holder for them', () => {
    const templates = new DocumentTemplates();
    const html = templates.render('notice', {
      issuer: '商丘市', addressee: FONT_MARKER, doc: { title: `关于${FONT_MARKER}的告知书`, number: 'n', code: 'c', date: 'd' }, verifyUrl: 'v', qrSvg: '',
      kase: {}, findings: {}, items: [], measures: [],
    });
    expect(html).toMatch(/<style>@font-face/);
    expect(html).not.toContain(FONT_MARKER);
  });

  it('recovers from a killed or hung Chromium: the job fails within its timeout, the next one succeeds', async () => {
    const renderer = t.app.get(PdfRenderer);
    const html = '<!doctype html><meta charset="utf-8"><p>测试</p>';
    expect((await renderer.render(html)).subarray(0, 5).toString()).toBe('%PDF-');
    const killed = renderer.browserPid()!;
    process.kill(killed, 'SIGKILL');
    expect((await renderer.render(html)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(renderer.browserPid()).not.toBe(killed);

    const hung = renderer.browserPid()!;
    const tree = processTree(hung);
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGSTOP');
      } catch {
        /* a short-lived helper exited between the listing and the signal (seen in CI) */
      }
    }
    const started = Date.now();
    await expect(renderer.render(html)).rejects.toThrow(/超时|失败/);
    expect(Date.now() - started).toBeLessThan(4000 + 3000);
    expect((await renderer.render(html)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(tree.filter((pid) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')))).toEqual([]);

    const last = processTree(renderer.browserPid()!);
    await renderer.onModuleDestroy();
    expect(last.filter((pid) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')))).toEqual([]);
  }, 30_000);
});
