import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { IdPipe } from '../web/id.pipe';
import { TianpingRequest } from '../web/request';
import { ImportService } from './import.service';

@ApiTags('pool')
@Controller('api/pool/import')
export class ImportApiController {
  constructor(private readonly imports: ImportService) {}

  @Post()
  @Access('pool.write')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传 .xlsx/.csv 名单，返回逐行检查报告；确认前不导入任何数据' })
  async upload(@Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    const batch = await this.imports.preview(req.file, actor);
    return this.imports.report(batch.id);
  }

  @Get(':id')
  @Access('pool.write')
  report(@Param('id', IdPipe) id: number) {
    return this.imports.report(id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Access('pool.write')
  @ApiOperation({ summary: '确认导入该批次的全部有效行（一个事务）' })
  confirm(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.imports.confirm(id, actor);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @Access('pool.write')
  async discard(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    await this.imports.discard(id, actor);
    return { ok: true };
  }
}
