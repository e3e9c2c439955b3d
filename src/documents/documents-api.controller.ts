import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { IdPipe } from '../web/id.pipe';
import { DocumentBatch } from './document-batch.entity';
import { DocumentBatchesService } from './document-batches.service';
import { DocumentsService } from './documents.service';

export class StartBatchDto {
  @IsOptional() @IsInt({ message: '评价会议编号必须是整数' }) @Min(1, { message: '评价会议编号必须是整数' })
  meetingId?: number;

  @IsOptional() @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式如 2026-11' })
  month?: string;
}

@ApiTags('documents')
@Controller('api')
export class DocumentsApiController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly batches: DocumentBatchesService,
  ) {}

  @Post('meetings/:id/documents')
  @Access('documents.issue')
  @ApiOperation({ summary: '出具已通过决议的全部文书（决议书、交办函、告知书、事实确认书）；重复调用返回已出具的文书' })
  issue(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.documents.issue(id, actor);
  }

  @Get('cases/:id/documents')
  @Access('documents.read')
  @ApiOperation({ summary: '案件的全部文书（含已作废的旧版本）' })
  forCase(@Param('id', IdPipe) id: number) {
    return this.documents.forCase(id);
  }

  @Post('documents/batches')
  @Access('documents.issue')
  @ApiOperation({ summary: '批量生成文书压缩包：一个评价会议（meetingId）或一个月（month）通过的全部决议' })
  async startBatch(@Body() dto: StartBatchDto, @CurrentActor() actor: Actor) {
    const job = await this.batches.start(dto, actor);
    return progress(job);
  }

  @Get('documents/batches/:job')
  @Access('documents.issue')
  @ApiOperation({ summary: '批量任务进度' })
  async batch(@Param('job') jobId: string, @CurrentActor() actor: Actor) {
    return progress(await this.batches.get(jobId, actor));
  }

  @Get('verify/documents/:code')
  @Access('public')
  @ApiOperation({ summary: '公开核验文书：按验证码返回文书种类、文号、出具时间、SHA-256 和是否现行有效' })
  async verify(@Param('code') code: string) {
    const result = await this.documents.verify(code);
    if (!result) throw new DomainError('not_found', '没有找到该验证码对应的文书，请核对后重试');
    return result;
  }
}

function progress(job: DocumentBatch) {
  const { zipSha256, ...rest } = job;
  return { ...rest, zipUrl: job.status === 'done' && zipSha256 ? `/documents/batches/${job.id}/zip` : null };
}
