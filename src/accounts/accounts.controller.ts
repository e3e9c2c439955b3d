import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { DepartmentsService } from '../departments/departments.service';
import { CATALOG } from '../web/catalog';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { AccountsService } from './accounts.service';
import { AccountQueryDto, ChangeRoleDto, CreateAccountDto, SetActiveDto } from './dto/account.dto';

const NOTICES: Record<string, string> = {
  role: '角色已变更，该用户需重新登录。', active: '账户状态已变更。', unlocked: '已解除锁定。',
  totp_reset: '已清除双重验证，该用户的会话已退出。请告知本人：用密码登录后，在“双重验证”页重新设置。',
};

/** Account administration pages for the security administrator. */
@ApiExcludeController()
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly departments: DepartmentsService,
  ) {}

  @Get()
  @Access('accounts.manage')
  @Render('accounts/list.hbs')
  async list(@Query() query: AccountQueryDto, @Req() req: TianpingRequest) {
    const { items, total } = await this.accounts.list(query);
    return { ...layoutLocals(req), title: '账户管理', items, filters: query, pagination: pagination(total, query.page, query.pageSize, { ...query }) };
  }

  @Get('new')
  @Access('accounts.manage')
  @Render('accounts/new.hbs')
  async newPage(@Req() req: TianpingRequest) {
    return { ...(await this.formModel(req)), values: {} };
  }

  async formModel(req: TianpingRequest) {
    return { ...layoutLocals(req), title: '新建账户', catalog: CATALOG, departments: await this.departments.list() };
  }

  @Post()
  @Access('accounts.manage')
  @FormView('accounts/new.hbs', { title: '新建账户', model: 'formModel' })
  @Render('accounts/password-issued.hbs')
  async create(@Body() dto: CreateAccountDto, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const { account, initialPassword } = await this.accounts.create(dto, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { ...layoutLocals(req), title: '账户已创建', account, initialPassword, created: true };
  }

  @Get(':id')
  @Access('accounts.manage')
  @Render('accounts/detail.hbs')
  async detail(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.detailModel(req, id)), notice: noticeFrom(NOTICES, notice) };
  }

  async detailModel(req: TianpingRequest, id = Number(req.params.id)) {
    const account = await this.accounts.get(id);
    return {
      ...layoutLocals(req),
      title: `账户：${account.username}`,
      account,
      lockedUntil: await this.accounts.lockedUntil(account),
      isSelf: account.id === req.auth!.user.id,
      catalog: CATALOG,
      departments: await this.departments.list(),
    };
  }

  @Post(':id/role')
  @Access('accounts.manage')
  @FormView('accounts/detail.hbs', { title: '账户', model: 'detailModel' })
  async changeRole(@Param('id', IdPipe) id: number, @Body() dto: ChangeRoleDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.accounts.changeRole(id, dto, actor);
    res.redirect(303, `/accounts/${id}?notice=role`);
  }

  @Post(':id/active')
  @Access('accounts.manage')
  @FormView('accounts/detail.hbs', { title: '账户', model: 'detailModel' })
  async setActive(@Param('id', IdPipe) id: number, @Body() dto: SetActiveDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.accounts.setActive(id, dto.active, actor);
    res.redirect(303, `/accounts/${id}?notice=active`);
  }

  @Post(':id/unlock')
  @Access('accounts.manage')
  async unlock(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.accounts.unlock(id, actor);
    res.redirect(303, `/accounts/${id}?notice=unlocked`);
  }

  @Post(':id/reset-two-factor')
  @Access('accounts.manage')
  @FormView('accounts/detail.hbs', { title: '账户', model: 'detailModel' })
  async resetSecondFactor(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.accounts.resetSecondFactor(id, actor);
    res.redirect(303, `/accounts/${id}?notice=totp_reset`);
  }

  @Post(':id/reset-password')
  @Access('accounts.manage')
  @Render('accounts/password-issued.hbs')
  async resetPassword(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const { account, initialPassword } = await this.accounts.resetPassword(id, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { ...layoutLocals(req), title: '密码已重置', account, initialPassword, created: false };
  }
}
