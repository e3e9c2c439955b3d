import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { pageOfList } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { WARNING_LABELS } from './domain/warning-level';
import { ExtensionRequestDto, TaskDecisionDto, TaskReportDto } from './dto/follow-up.dto';
import { TasksService } from './tasks.service';

const NOTICES = {
  progress: '进展已报送。', completion: '已报告办结，等待联席办确认。', extension_request: '延期申请已提交，等待联席办审批。',
  extension_approved: '已同意延期，期限已更新。', extension_refused: '已不同意延期。', confirmed: '已确认办结。', returned: '已退回责任单位重办。',
};

/** The office's follow-up pages and the department portal (liaisons). */
@ApiExcludeController()
@Controller()
export class FollowUpController {
  constructor(private readonly tasks: TasksService) {}

  @Get('follow-up')
  @Access('followup.read')
  @Render('followup/list.hbs')
  async list(@Req() req: TianpingRequest, @Query('level') level?: string, @Query('department') department?: string, @Query('page') page?: string) {
    const all = await this.tasks.list();
    const { items: rows, pagination } = pageOfList(all.filter((t) => (!level || t.level === level) && (!department || String(t.departmentId) === department)), page, { level, department });
    const departments = [...new Map(all.map((t) => [t.departmentId, t.departmentName])).entries()].map(([id, name]) => ({ id, name }));
    const counts = { red: all.filter((t) => t.level === 'red').length, yellow: all.filter((t) => t.level === 'yellow').length, blue: all.filter((t) => t.level === 'blue').length };
    return { ...layoutLocals(req), title: '跟踪督办', rows, pagination, counts, level, department, departments, levels: Object.entries(WARNING_LABELS).map(([value, label]) => ({ value, label })) };
  }

  @Get('follow-up/tasks/:id')
  @Access('followup.read')
  @Render('followup/task.hbs')
  async officeTask(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return this.taskModel(req, id, notice);
  }

  @Post('follow-up/tasks/:id/:decision')
  @Access('followup.manage')
  @FormView('followup/task.hbs', { title: '任务', model: 'taskModel' })
  async decide(@Param('id', IdPipe) id: number, @Param('decision') decision: string, @Body() dto: TaskDecisionDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.tasks.decide(id, decision, dto, actor);
    res.redirect(303, `/follow-up/tasks/${id}?notice=${decision}`);
  }

  @Get('department')
  @Access('followup.own')
  @Render('followup/department.hbs')
  async department(@Req() req: TianpingRequest, @Query('page') page?: string) {
    const user = req.auth!.user;
    const { items: rows, pagination } = pageOfList(user.departmentId ? await this.tasks.list({ departmentId: user.departmentId }) : [], page, {});
    return { ...layoutLocals(req), title: '本单位任务', rows, pagination, hasDepartment: !!user.departmentId, notices: await this.tasks.noticesFor(user.id) };
  }

  @Get('department/tasks/:id')
  @Access('followup.own')
  @Render('followup/task.hbs')
  async departmentTask(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return this.taskModel(req, id, notice);
  }

  @Post('department/tasks/:id/progress')
  @Access('followup.own')
  @FormView('followup/task.hbs', { title: '任务', model: 'taskModel' })
  async progress(@Param('id', IdPipe) id: number, @Body() dto: TaskReportDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.tasks.report(id, 'progress', dto, req.file, actor);
    res.redirect(303, `/department/tasks/${id}?notice=progress`);
  }

  @Post('department/tasks/:id/completion')
  @Access('followup.own')
  @FormView('followup/task.hbs', { title: '任务', model: 'taskModel' })
  async completion(@Param('id', IdPipe) id: number, @Body() dto: TaskReportDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.tasks.report(id, 'completion', dto, req.file, actor);
    res.redirect(303, `/department/tasks/${id}?notice=completion`);
  }

  @Post('department/tasks/:id/extension')
  @Access('followup.own')
  @FormView('followup/task.hbs', { title: '任务', model: 'taskModel' })
  async extension(@Param('id', IdPipe) id: number, @Body() dto: ExtensionRequestDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.tasks.requestExtension(id, dto, actor);
    res.redirect(303, `/department/tasks/${id}?notice=extension_request`);
  }

  @Get(['follow-up/tasks/:id/attachments/:attachmentId', 'department/tasks/:id/attachments/:attachmentId'])
  @Access('followup.attachments')
  async attachment(@Param('id', IdPipe) id: number, @Param('attachmentId', IdPipe) attachmentId: number, @Req() req: TianpingRequest, @Res() res: Response) {
    const { attachment, content } = await this.tasks.attachment(id, attachmentId, req.auth!.user);
    res.setHeader('Content-Type', attachment.mimeType);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(content);
  }

  async taskModel(req: TianpingRequest, id = Number(req.params.id), notice?: string) {
    const user = req.auth!.user;
    const view = await this.tasks.get(id, user);
    const office = user.role !== 'liaison';
    return {
      ...layoutLocals(req), title: `任务 · ${view.task.caseNumber}`, ...view, office, canDecide: roleMay(user.role, 'followup.manage'),
      base: office ? '/follow-up' : '/department', backLabel: office ? '返回跟踪督办' : '返回本单位任务', notice: noticeFrom(NOTICES, notice ?? (req.query.notice as string | undefined)),
    };
  }
}
