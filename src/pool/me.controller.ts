import { Body, Controller, Get, HttpCode, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { DepartmentsService } from '../departments/departments.service';
import { CATALOG } from '../web/catalog';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { TianpingRequest } from '../web/request';
import { ConflictsService } from './conflicts.service';
import { DeclareConflictDto } from './dto/conflict.dto';
import { PoolService } from './pool.service';

const NOTICES: Record<string, string> = { declared: '申报已提交，联席办可以看到。', withdrawn: '申报已撤回。' };

/** An evaluator's own page: their record and their conflict-of-interest declarations. */
@Controller()
export class MeController {
  constructor(
    private readonly pool: PoolService,
    private readonly conflicts: ConflictsService,
    private readonly departments: DepartmentsService,
  ) {}

  @Get('me')
  @Access('profile.own')
  @Render('pool/me.hbs')
  async page(@Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.meModel(req)), notice: noticeFrom(NOTICES, notice), values: {} };
  }

  @Post('me/conflicts')
  @Access('profile.own')
  @FormView('pool/me.hbs', { title: '我的信息', model: 'meModel' })
  async declare(@Body() dto: DeclareConflictDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.conflicts.declare(actor.evaluatorId!, dto, actor);
    res.redirect(303, '/me?notice=declared');
  }

  @Post('me/conflicts/:id/withdraw')
  @Access('profile.own')
  async withdraw(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.conflicts.withdraw(actor.evaluatorId!, id, actor);
    res.redirect(303, '/me?notice=withdrawn');
  }

  async meModel(req: TianpingRequest) {
    const detail = await this.pool.detail(req.auth!.user.evaluatorId!);
    return { ...layoutLocals(req), title: '我的信息', ...detail, departments: await this.departments.list(), catalog: CATALOG };
  }

  @Get('api/me')
  @Access('profile.own')
  @ApiTags('me')
  @ApiOperation({ summary: '评价员本人的信息、状态历史与利益冲突申报' })
  api(@CurrentActor() actor: Actor) {
    return this.pool.detail(actor.evaluatorId!);
  }

  @Post('api/me/conflicts')
  @Access('profile.own')
  @ApiTags('me')
  @ApiOperation({ summary: '申报利益冲突（任职单位、亲属任职、其他关系）' })
  declareApi(@Body() dto: DeclareConflictDto, @CurrentActor() actor: Actor) {
    return this.conflicts.declare(actor.evaluatorId!, dto, actor);
  }

  @Post('api/me/conflicts/:id/withdraw')
  @HttpCode(200)
  @Access('profile.own')
  @ApiTags('me')
  async withdrawApi(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    await this.conflicts.withdraw(actor.evaluatorId!, id, actor);
    return { ok: true };
  }
}
