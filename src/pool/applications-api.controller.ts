import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { applicationView, ApplicationsService } from './applications.service';
import { ApplicationDto } from './dto/application.dto';
import { ApplicationQueryDto, RejectApplicationDto } from './dto/review.dto';
import { evaluatorView } from './evaluator-view';

@ApiTags('applications')
@Controller('api')
export class ApplicationsApiController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post('applications')
  @Access('public')
  @ApiOperation({ summary: '提交入库申请（公开，无需登录）' })
  async submit(@Body() dto: ApplicationDto, @CurrentActor() actor: Actor) {
    const application = await this.applications.submit(dto, actor);
    return { id: application.id, status: application.status };
  }

  @Get('pool/applications')
  @Access('pool.read')
  @ApiOperation({ summary: '入库申请列表' })
  async list(@Query() query: ApplicationQueryDto) {
    const { items, total } = await this.applications.list(query);
    return { total, page: query.page, pageSize: query.pageSize, items };
  }

  @Get('pool/applications/:id')
  @Access('pool.read')
  async detail(@Param('id', IdPipe) id: number) {
    return applicationView(await this.applications.get(id));
  }

  @Post('pool/applications/:id/approve')
  @HttpCode(200)
  @Access('applications.review')
  @ApiOperation({ summary: '批准：入库并创建评价员账户，返回一次性初始密码' })
  async approve(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const result = await this.applications.approve(id, actor);
    res.setHeader('Cache-Control', 'no-store');
    return {
      application: applicationView(result.application),
      evaluator: evaluatorView(result.evaluator),
      username: result.username,
      initialPassword: result.initialPassword,
    };
  }

  @Post('pool/applications/:id/reject')
  @HttpCode(200)
  @Access('applications.review')
  @ApiOperation({ summary: '驳回，须填写原因' })
  async reject(@Param('id', IdPipe) id: number, @Body() dto: RejectApplicationDto, @CurrentActor() actor: Actor) {
    return applicationView(await this.applications.reject(id, dto.reason, actor));
  }
}
