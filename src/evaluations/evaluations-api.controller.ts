import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { TianpingRequest } from '../web/request';
import { AmendSheetDto, CastVotesDto, CloseStepDto, EditResolutionDto, SaveSheetDto, ScheduleMeetingDto } from './dto/evaluation.dto';
import { EvaluationsService } from './evaluations.service';

@ApiTags('evaluation')
@Controller('api')
export class EvaluationsApiController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post('cases/:id/meeting')
  @Access('meetings.run')
  @ApiOperation({ summary: '安排评价会议（时间、地点或线上、组长：随机或指定并说明原因、表决规则）' })
  schedule(@Param('id', IdPipe) id: number, @Body() dto: ScheduleMeetingDto, @CurrentActor() actor: Actor) {
    return this.evaluations.schedule(id, dto, actor);
  }

  @Post('meetings/:id/open')
  @HttpCode(200)
  @Access('meetings.run')
  @ApiOperation({ summary: '会议开始：解封名单，开始事实评价' })
  open(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.evaluations.open(id, actor);
  }

  @Get('meetings')
  @Access('meetings.take')
  mine(@CurrentActor() actor: Actor) {
    return this.evaluations.meetingsOf(actor.evaluatorId!);
  }

  @Get('meetings/:id')
  @Access('meetings.read')
  @ApiOperation({ summary: '会议与案卷（信访人信息脱敏）、步骤进度' })
  overview(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.evaluations.overview(id, req.auth!.user);
  }

  @Get('meetings/:id/steps/:step/sheet')
  @Access('meetings.take')
  sheet(@Param('id', IdPipe) id: number, @Param('step') step: string, @CurrentActor() actor: Actor) {
    return this.evaluations.ownSheet(id, step, actor.evaluatorId!);
  }

  @Post('meetings/:id/steps/:step/sheet')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '保存草稿（带上次读取的 version；版本不符返回 409）' })
  saveDraft(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: SaveSheetDto, @CurrentActor() actor: Actor) {
    return this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'draft', actor);
  }

  @Post('meetings/:id/steps/:step/submit')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '提交评分表（须答完全部必答项）' })
  submit(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: SaveSheetDto, @CurrentActor() actor: Actor) {
    return this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'submit', actor);
  }

  @Post('meetings/:id/steps/:step/amend')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '修改已提交的评分表（须说明原因，步骤进行中才可修改；每一版都保留）' })
  amend(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: AmendSheetDto, @CurrentActor() actor: Actor) {
    return this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'amend', actor);
  }

  @Get('meetings/:id/steps/:step/sheets')
  @Access('meetings.take')
  @ApiOperation({ summary: '其他成员已提交的评分表：本人提交后才可查看' })
  others(@Param('id', IdPipe) id: number, @Param('step') step: string, @CurrentActor() actor: Actor) {
    return this.evaluations.othersSheets(id, step, actor.evaluatorId!);
  }

  @Post('meetings/:id/steps/:step/close')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '组长结束本步骤（全部提交，或记录缺席成员）' })
  close(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: CloseStepDto, @CurrentActor() actor: Actor) {
    return this.evaluations.closeStep(id, step, actor.evaluatorId!, dto.absentees ?? [], actor);
  }

  @Get('meetings/:id/resolution')
  @Access('meetings.read')
  resolution(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.evaluations.resolutionView(id, req.auth!.user);
  }

  @Post('meetings/:id/resolution')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '组长修改决议草案' })
  edit(@Param('id', IdPipe) id: number, @Body() dto: EditResolutionDto, @CurrentActor() actor: Actor) {
    return this.evaluations.editResolution(id, actor.evaluatorId!, dto.items, actor);
  }

  @Post('meetings/:id/resolution/voting')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '组长发起表决' })
  openVoting(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.evaluations.openVoting(id, actor.evaluatorId!, actor);
  }

  @Post('meetings/:id/resolution/votes')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '对决议每一项表决：同意/反对/弃权，可附保留意见' })
  vote(@Param('id', IdPipe) id: number, @Body() dto: CastVotesDto, @CurrentActor() actor: Actor) {
    return this.evaluations.vote(id, actor.evaluatorId!, dto, actor);
  }

  @Post('meetings/:id/resolution/close')
  @HttpCode(200)
  @Access('meetings.take')
  @ApiOperation({ summary: '组长结束表决（未表决者按不同意计）' })
  closeVoting(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.evaluations.closeVoting(id, actor.evaluatorId!, actor);
  }

  @Post('meetings/:id/resolution/corrections')
  @HttpCode(200)
  @Access('meetings.run')
  @ApiOperation({ summary: '更正已通过的决议：新版本并说明原因，原版本保留' })
  correct(@Param('id', IdPipe) id: number, @Body() dto: EditResolutionDto, @CurrentActor() actor: Actor) {
    return this.evaluations.correct(id, dto.items, dto.reason, actor);
  }
}
