import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { NotificationsService } from '../notifications/notifications.service';
import { CATEGORIES, CATEGORY_LABELS } from '../pool/domain/categories';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { TianpingRequest } from '../web/request';
import { DEFAULT_RULES, quotaOf } from './domain/draw-rules';
import { DrawsService } from './draws.service';
import { CancelDrawDto, CommitDrawDto, WitnessDto } from './dto/draw.dto';
import { FairnessService } from './fairness.service';

/** Draw pages for the office: rules → commitment → witness → result → verification. */
@ApiExcludeController()
@Controller()
export class DrawsController {
  constructor(
    private readonly draws: DrawsService,
    private readonly fairness: FairnessService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get('cases/:id/draws/new')
  @Access('draws.run')
  @Render('draws/new.hbs')
  newDraw(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return { ...this.rulesModel(req), caseId: id, values: defaultsForForm() };
  }

  rulesModel(req: TianpingRequest) {
    return { ...layoutLocals(req), title: '发起抽选', caseId: Number(req.params.id), categories: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })) };
  }

  @Post('cases/:id/draws')
  @Access('draws.run')
  @FormView('draws/new.hbs', { title: '发起抽选', model: 'rulesModel' })
  async commit(@Param('id', IdPipe) id: number, @Body() dto: CommitDrawDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const draw = await this.draws.commit(id, dto, actor);
    res.redirect(303, `/draws/${draw.id}`);
  }

  @Post('cases/:id/draws/supplementary')
  @Access('draws.run')
  @FormView('draws/new.hbs', { title: '补充抽选', model: 'rulesModel' })
  async supplementary(@Param('id', IdPipe) id: number, @Body() dto: CommitDrawDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const draw = await this.draws.commit(id, dto, actor, 'supplementary');
    res.redirect(303, `/draws/${draw.id}`);
  }

  @Get('draws/fairness')
  @Access('cases.read')
  @Render('draws/fairness.hbs')
  async fairnessPage(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '抽选公平性', categories: await this.fairness.report() };
  }

  @Get('outbox')
  @Access('draws.run')
  @Render('draws/outbox.hbs')
  async outbox(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '短信发件箱（演示）', messages: await this.notifications.outbox() };
  }

  @Get('draws/:id')
  @Access('cases.read')
  @Render('draws/detail.hbs')
  async detail(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.detailModel(req, id);
  }

  async detailModel(req: TianpingRequest, id = Number(req.params.id)) {
    const view = await this.draws.view(await this.draws.get(id), roleMay(req.auth!.user.role, 'cases.read'));
    return { ...layoutLocals(req), title: `抽选 · ${view.caseNumber}`, ...view, canRun: roleMay(req.auth!.user.role, 'draws.run'), canAudit: roleMay(req.auth!.user.role, 'audit.read') };
  }

  @Post('draws/:id/witness')
  @Access('draws.run')
  @FormView('draws/detail.hbs', { title: '抽选', model: 'detailModel' })
  async witness(@Param('id', IdPipe) id: number, @Body() dto: WitnessDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.draws.witness(id, dto, actor);
    res.redirect(303, `/draws/${id}`);
  }

  @Post('draws/:id/cancel')
  @Access('draws.run')
  @FormView('draws/detail.hbs', { title: '抽选', model: 'detailModel' })
  async cancel(@Param('id', IdPipe) id: number, @Body() dto: CancelDrawDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const draw = await this.draws.cancel(id, dto.reason, actor);
    res.redirect(303, `/draws/${draw.id}`);
  }

  @Get('draws/:id/verify')
  @Access('cases.read')
  @Render('draws/verify.hbs')
  async verify(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    const draw = await this.draws.get(id);
    return { ...layoutLocals(req), title: '验证抽选', draw, result: await this.draws.verify(draw), back: `/draws/${id}` };
  }
}

/** The form's starting values: the default rules, quotas per category. */
function defaultsForForm() {
  return {
    panelSize: DEFAULT_RULES.panelSize,
    alternates: DEFAULT_RULES.alternates,
    defaultMax: DEFAULT_RULES.defaultMax,
    expertiseWeight: DEFAULT_RULES.expertiseWeight,
    preferServedLess: DEFAULT_RULES.preferServedLess,
    avoidSameTownship: DEFAULT_RULES.avoidSameTownship,
    yearlyCap: DEFAULT_RULES.yearlyCap,
    quotas: Object.fromEntries(CATEGORIES.map((c) => [c, quotaOf(DEFAULT_RULES, c)])),
  };
}
