import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { TianpingRequest } from '../web/request';
import { DrawsService } from './draws.service';
import { CancelDrawDto, CommitDrawDto, WitnessDto } from './dto/draw.dto';
import { FairnessService } from './fairness.service';
import { PanelService } from './panel.service';

@ApiTags('draws')
@Controller('api')
export class DrawsApiController {
  constructor(
    private readonly draws: DrawsService,
    private readonly panels: PanelService,
    private readonly fairness: FairnessService,
  ) {}

  @Post('cases/:id/draws')
  @Access('draws.run')
  @ApiOperation({ summary: '承诺：固定候选名单与规则，公布承诺值（密钥保密至抽选完成）' })
  async commit(@Param('id', IdPipe) id: number, @Body() dto: CommitDrawDto, @CurrentActor() actor: Actor, @Req() req: TianpingRequest) {
    return (await this.draws.view(await this.draws.commit(id, dto, actor), roleMay(req.auth!.user.role, 'cases.read'))).draw;
  }

  @Post('cases/:id/draws/supplementary')
  @Access('draws.run')
  @ApiOperation({ summary: '补充抽选：候补用尽时为空缺席位重新承诺、见证、抽选' })
  async supplementary(@Param('id', IdPipe) id: number, @Body() dto: CommitDrawDto, @CurrentActor() actor: Actor) {
    return (await this.draws.view(await this.draws.commit(id, dto, actor, 'supplementary'), true)).draw;
  }

  @Get('cases/:id/panel')
  @Access('cases.read')
  @ApiOperation({ summary: '本案评价组与候补（联席办可见姓名，其他角色仅见编号）' })
  panel(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.panels.panelOf(id, roleMay(req.auth!.user.role, 'cases.read'));
  }

  @Get('draws/fairness')
  @Access('cases.read')
  @ApiOperation({ summary: '各类别评价员参评次数与应得份额' })
  fairnessReport() {
    return this.fairness.report();
  }

  @Get('draws/:id')
  @Access('cases.read')
  async detail(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.draws.view(await this.draws.get(id), roleMay(req.auth!.user.role, 'cases.read'));
  }

  @Post('draws/:id/witness')
  @HttpCode(200)
  @Access('draws.run')
  @ApiOperation({ summary: '见证人输入公开随机数（骰子点数或彩票号码），完成抽选并公开密钥' })
  async witness(@Param('id', IdPipe) id: number, @Body() dto: WitnessDto, @CurrentActor() actor: Actor) {
    return this.draws.view(await this.draws.witness(id, dto, actor), true);
  }

  @Post('draws/:id/cancel')
  @HttpCode(200)
  @Access('draws.run')
  @ApiOperation({ summary: '取消等待见证的抽选（须填写原因；密钥随之公开）' })
  async cancel(@Param('id', IdPipe) id: number, @Body() dto: CancelDrawDto, @CurrentActor() actor: Actor) {
    return (await this.draws.view(await this.draws.cancel(id, dto.reason, actor), true)).draw;
  }

  @Get('draws/:id/verify')
  @Access('cases.read')
  @ApiOperation({ summary: '按记录复算抽选，返回 matches 或逐项差异' })
  async verify(@Param('id', IdPipe) id: number) {
    return this.draws.verify(await this.draws.get(id));
  }
}
