import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { TianpingRequest } from '../web/request';
import { caseView } from './case-view';
import { CasesService } from './cases.service';
import { CaseQueryDto, ExcludeEvaluatorDto, RegisterCaseDto } from './dto/register-case.dto';

@ApiTags('cases')
@Controller('api/cases')
export class CasesApiController {
  constructor(private readonly cases: CasesService) {}

  @Get()
  @Access('cases.read')
  async list(@Query() query: CaseQueryDto) {
    return { ...(await this.cases.list(query)), page: query.page, pageSize: query.pageSize };
  }

  @Post()
  @Access('cases.write')
  @ApiOperation({ summary: '登记案件；不符合评价条件时须填写 ineligibleReason' })
  async register(@Body() dto: RegisterCaseDto, @CurrentActor() actor: Actor) {
    return caseView(await this.cases.register(dto, actor));
  }

  @Get(':id')
  @Access('cases.read')
  @ApiOperation({ summary: '案件详情、责任单位、信访记录、附件与时间线（信访人信息脱敏）' })
  detail(@Param('id', IdPipe) id: number) {
    return this.cases.detail(id);
  }

  @Post(':id/attachments')
  @Access('cases.write')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传案卷附件（PDF、JPEG、PNG，按内容识别类型，不超过 20 MB）；下载：GET /cases/:id/attachments/:attachmentId' })
  attach(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    return this.cases.addAttachment(id, req.file, actor);
  }

  @Post(':id/exclusions')
  @Access('cases.write')
  @ApiOperation({ summary: '联席办决定某评价员回避本案（须填写原因）' })
  async exclude(@Param('id', IdPipe) id: number, @Body() dto: ExcludeEvaluatorDto, @CurrentActor() actor: Actor) {
    await this.cases.exclude(id, dto, actor);
    return { ok: true };
  }
}
