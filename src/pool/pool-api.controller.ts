import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { ChangeStatusDto, LookupDto, PoolQueryDto } from './dto/review.dto';
import { evaluatorView } from './evaluator-view';
import { PoolService } from './pool.service';

@ApiTags('pool')
@Controller('api/pool/evaluators')
export class PoolApiController {
  constructor(private readonly pool: PoolService) {}

  @Get()
  @Access('pool.read')
  @ApiOperation({ summary: '人才库列表（筛选、搜索、分页；证件号与手机号脱敏）' })
  async list(@Query() query: PoolQueryDto) {
    const { total, items } = await this.pool.search(query);
    return { total, page: query.page, pageSize: query.pageSize, items };
  }

  @Post('lookup')
  @HttpCode(200)
  @Access('pool.read')
  @ApiOperation({ summary: '按完整身份证号或手机号查找（POST，号码不进入 URL）' })
  async lookup(@Body() dto: LookupDto) {
    return evaluatorView(await this.pool.lookup(dto.number));
  }

  @Get(':id')
  @Access('pool.read')
  @ApiOperation({ summary: '评价员详情、状态历史与利益冲突申报' })
  detail(@Param('id', IdPipe) id: number) {
    return this.pool.detail(id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Access('pool.write')
  @ApiOperation({ summary: '变更状态（在册/暂停/退出），须填写原因' })
  async changeStatus(@Param('id', IdPipe) id: number, @Body() dto: ChangeStatusDto, @CurrentActor() actor: Actor) {
    return evaluatorView(await this.pool.changeStatus(id, dto, actor));
  }

  @Post(':id/account')
  @HttpCode(200)
  @Access('pool.write')
  @ApiOperation({ summary: '为没有账户的评价员（如批量导入的）创建登录账户，返回一次性密码' })
  issueAccount(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    return this.pool.issueAccount(id, actor);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Access('pool.reveal')
  @ApiOperation({ summary: '查看完整身份证号与手机号（仅管理员，记入审计日志）' })
  reveal(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    return this.pool.reveal(id, actor);
  }
}
