import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor, actorMay } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { DocumentBatchesService } from './document-batches.service';
import { DocumentsQueryService } from './documents-query.service';
import { DocumentsService } from './documents.service';

const NOTICES = { issued: '文书已出具。各份文书均带验证码和二维码，可在“验证”页核验。' };

/** Pages: a case's documents, the office's register, batches with progress, a liaison's letters, public verification. */
@ApiExcludeController()
@Controller()
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly query: DocumentsQueryService,
    private readonly batches: DocumentBatchesService,
  ) {}

  @Get('cases/:id/documents')
  @Access('documents.read')
  @Render('documents/case.hbs')
  async casePage(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...layoutLocals(req), title: '案件文书', ...(await this.query.casePage(id, req.auth!.user)), notice: noticeFrom(NOTICES, notice) };
  }

  @Post('meetings/:id/documents')
  @Access('documents.issue')
  async issue(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    const [first] = await this.documents.issue(id, actor);
    res.redirect(303, `/cases/${first.caseId}/documents?notice=issued`);
  }

  @Get('meetings/:id/documents/preview/:kind')
  @Access('documents.issue')
  async preview(@Param('id', IdPipe) id: number, @Param('kind') kind: string, @Res() res: Response) {
    const pdf = await this.documents.preview(id, kind);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="preview-${kind}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(pdf);
  }

  @Get('documents')
  @Access('documents.read')
  @Render('documents/register.hbs')
  async register(@Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Query('page') page?: string, @Query('kind') kind?: string) {
    const { rows, total, page: p, pageSize, kinds } = await this.query.register(Number(page) || 1, kind);
    const batches = actorMay(actor, 'documents.issue') ? await this.batches.recent(actor) : [];
    return { ...layoutLocals(req), title: '公文登记', rows, kinds, kind, pagination: pagination(total, p, pageSize, { kind }), thisMonth: this.query.thisMonth(), batches };
  }

  @Get('documents/:id/pdf')
  @Access('documents.download')
  async download(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Res() res: Response) {
    const { document, content } = await this.documents.file(id, req.auth!.user);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${document.number}.pdf`)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(content);
  }

  @Post('documents/batches')
  @Access('documents.issue')
  async startBatch(@Body() body: { meetingId?: string; month?: string }, @CurrentActor() actor: Actor, @Res() res: Response) {
    const meetingId = body.meetingId ? Number(body.meetingId) : undefined;
    if (meetingId !== undefined && !Number.isSafeInteger(meetingId)) throw new DomainError('not_found', '找不到该评价会议');
    const job = await this.batches.start({ meetingId, month: body.month }, actor);
    res.redirect(303, `/documents/batches/${job.id}`);
  }

  @Get('documents/batches/:job')
  @Access('documents.issue')
  @Render('documents/batch.hbs')
  async batch(@Param('job') jobId: string, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    const job = await this.batches.get(jobId, actor);
    return { ...layoutLocals(req), title: '批量生成文书', job: { ...job, size: job.zipBytes ?? 0 }, refresh: job.status === 'running' };
  }

  @Get('documents/batches/:job/zip')
  @Access('documents.issue')
  async zip(@Param('job') jobId: string, @CurrentActor() actor: Actor, @Res() res: Response) {
    const job = await this.batches.get(jobId, actor);
    const zip = await this.batches.zipOf(job);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(job.fileName)}`);
    res.send(zip);
  }

  @Get('department/documents')
  @Access('documents.own')
  @Render('documents/department.hbs')
  async department(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '交办函', ...(await this.query.departmentPage(req.auth!.user)) };
  }

  @Get('verify/documents')
  @Access('public')
  @Render('documents/verify.hbs')
  async verify(@Req() req: TianpingRequest, @Query('code') code?: string) {
    if (!code) return { ...layoutLocals(req), title: '核验文书' };
    const result = await this.documents.verify(code);
    return { ...layoutLocals(req), title: '核验文书', code, result, notFound: !result };
  }
}
