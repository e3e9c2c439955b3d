import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { TianpingRequest } from '../web/request';
import { ClosingService } from './closing.service';
import { CaseLinkDto, ExtensionRequestDto, ReturnVisitDto, TaskDecisionDto, TaskReportDto } from './dto/follow-up.dto';
import { ReportsService } from './reports.service';
import { TasksService } from './tasks.service';


@ApiTags('follow-up')
@Controller('api')
export class FollowUpApiController {
  constructor(
    private readonly tasks: TasksService,
    private readonly closing: ClosingService,
    private readonly reports: ReportsService,
  ) {}

  @Get('follow-up/tasks')
  @Access('followup.read')
  @ApiOperation({ summary: '全部交办任务及红黄蓝预警（level=red|yellow|blue|none 筛选）' })
  list(@Query('level') level?: string) {
    return this.tasks.list({ level });
  }

  @Get('follow-up/tasks/:id')
  @Access('followup.read')
  task(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.tasks.get(id, req.auth!.user);
  }

  @Post('follow-up/tasks/:id/decisions/:decision')
  @Access('followup.manage')
  @ApiOperation({ summary: '联席办决定：extension_approved / extension_refused / confirmed / returned（后两种须填原因）' })
  decide(@Param('id', IdPipe) id: number, @Param('decision') decision: string, @Body() dto: TaskDecisionDto, @CurrentActor() actor: Actor) {
    return this.tasks.decide(id, decision, dto, actor);
  }

  @Get('department/tasks')
  @Access('followup.own')
  @ApiOperation({ summary: '本单位的交办任务（联络员）' })
  departmentTasks(@Req() req: TianpingRequest) {
    const departmentId = req.auth!.user.departmentId;
    return departmentId ? this.tasks.list({ departmentId }) : [];
  }

  @Get('department/tasks/:id')
  @Access('followup.own')
  departmentTask(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.tasks.get(id, req.auth!.user);
  }

  @Post('department/tasks/:id/progress')
  @Access('followup.own')
  @ApiOperation({ summary: '报送进展（JSON，或 multipart 附 file）' })
  progress(@Param('id', IdPipe) id: number, @Body() dto: TaskReportDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    return this.tasks.report(id, 'progress', dto, req.file, actor);
  }

  @Post('department/tasks/:id/completion')
  @Access('followup.own')
  @ApiOperation({ summary: '报告办结（JSON，或 multipart 附 file），待联席办确认' })
  completion(@Param('id', IdPipe) id: number, @Body() dto: TaskReportDto, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    return this.tasks.report(id, 'completion', dto, req.file, actor);
  }

  @Post('department/tasks/:id/extension')
  @Access('followup.own')
  extension(@Param('id', IdPipe) id: number, @Body() dto: ExtensionRequestDto, @CurrentActor() actor: Actor) {
    return this.tasks.requestExtension(id, dto, actor);
  }

  @Post('cases/:id/return-visit')
  @Access('followup.manage')
  @ApiOperation({ summary: '回访并结案：满意度、是否息诉罢访、定分止争或未化解' })
  returnVisit(@Param('id', IdPipe) id: number, @Body() dto: ReturnVisitDto, @CurrentActor() actor: Actor) {
    return this.closing.returnVisit(id, dto, actor);
  }

  @Post('cases/:id/links')
  @Access('followup.manage')
  @ApiOperation({ summary: '关联复查/复核案件' })
  link(@Param('id', IdPipe) id: number, @Body() dto: CaseLinkDto, @CurrentActor() actor: Actor) {
    return this.closing.link(id, dto, actor);
  }

  @Get('dashboard')
  @Access('followup.read')
  @ApiOperation({ summary: '统计数据（month=YYYY-MM，截至该月末或当前）' })
  dashboard(@Query('month') month: string) {
    return this.reports.figures(month ?? '');
  }

  @Get('reports')
  @Access('followup.read')
  reportList() {
    return this.reports.list();
  }

  @Post('reports')
  @Access('followup.manage')
  @ApiOperation({ summary: '生成某月分析报告（PDF）' })
  generate(@Body('month') month: string, @CurrentActor() actor: Actor) {
    return this.reports.generate(String(month ?? ''), actor);
  }
}
