import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { UserAccount } from '../auth/user-account.entity';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { AccountsService } from './accounts.service';
import { AccountQueryDto, ChangeRoleDto, CreateAccountDto, SetActiveDto } from './dto/account.dto';

function accountView(a: UserAccount) {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, departmentId: a.departmentId, active: a.active, mustChangePassword: a.mustChangePassword };
}

@ApiTags('accounts')
@Controller('api/accounts')
export class AccountsApiController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Access('accounts.manage')
  async list(@Query() query: AccountQueryDto) {
    return { ...(await this.accounts.list(query)), page: query.page, pageSize: query.pageSize };
  }

  @Post()
  @Access('accounts.manage')
  @ApiOperation({ summary: '创建账户（评价员账户除外），返回一次性初始密码' })
  async create(@Body() dto: CreateAccountDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { account, initialPassword } = await this.accounts.create(dto, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { account: accountView(account), initialPassword };
  }

  @Get(':id')
  @Access('accounts.manage')
  async detail(@Param('id', IdPipe) id: number) {
    return accountView(await this.accounts.get(id));
  }

  @Post(':id/role')
  @HttpCode(200)
  @Access('accounts.manage')
  async changeRole(@Param('id', IdPipe) id: number, @Body() dto: ChangeRoleDto, @CurrentActor() actor: Actor) {
    await this.accounts.changeRole(id, dto, actor);
    return accountView(await this.accounts.get(id));
  }

  @Post(':id/active')
  @HttpCode(200)
  @Access('accounts.manage')
  async setActive(@Param('id', IdPipe) id: number, @Body() dto: SetActiveDto, @CurrentActor() actor: Actor) {
    await this.accounts.setActive(id, dto.active, actor);
    return accountView(await this.accounts.get(id));
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @Access('accounts.manage')
  async unlock(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    await this.accounts.unlock(id, actor);
    return { ok: true };
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @Access('accounts.manage')
  async resetPassword(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { account, initialPassword } = await this.accounts.resetPassword(id, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { account: accountView(account), initialPassword };
  }
}
