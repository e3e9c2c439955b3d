import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { TianpingRequest } from '../web/request';
import { ImportService, MAX_IMPORT_ROWS } from './import.service';

/** Bulk import pages: upload → row-by-row preview → confirm or discard. */
@ApiExcludeController()
@Controller('pool/import')
export class ImportController {
  constructor(private readonly imports: ImportService) {}

  @Get()
  @Access('pool.write')
  @Render('pool/import.hbs')
  page(@Req() req: TianpingRequest) {
    return this.uploadModel(req);
  }

  uploadModel(req: TianpingRequest) {
    return { ...layoutLocals(req), title: '批量导入评价员', maxRows: MAX_IMPORT_ROWS };
  }

  @Get('template.xlsx')
  @Access('pool.write')
  async template(@Res() res: Response) {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('评价员导入模板.xlsx')}`);
    res.send(await this.imports.template());
  }

  @Post()
  @Access('pool.write')
  @FormView('pool/import.hbs', { title: '批量导入评价员', model: 'uploadModel' })
  async upload(@Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    const batch = await this.imports.preview(req.file, actor);
    res.redirect(303, `/pool/import/${batch.id}`);
  }

  @Get(':id')
  @Access('pool.write')
  @Render('pool/import-preview.hbs')
  async preview(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '导入预览', report: await this.imports.report(id) };
  }

  @Post(':id/confirm')
  @Access('pool.write')
  @Render('pool/import-done.hbs')
  async confirm(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '导入完成', result: await this.imports.confirm(id, actor) };
  }

  @Post(':id/discard')
  @Access('pool.write')
  async discard(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.imports.discard(id, actor);
    res.redirect(303, '/pool/import');
  }
}
