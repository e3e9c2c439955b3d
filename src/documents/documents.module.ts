import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { DocumentBatchesService } from './document-batches.service';
import { DocumentContentService } from './document-content.service';
import { DocumentsApiController } from './documents-api.controller';
import { DocumentsQueryService } from './documents-query.service';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { PdfRenderer } from './pdf-renderer';

@Module({
  imports: [CasesModule, EvaluationsModule],
  controllers: [DocumentsController, DocumentsApiController],
  providers: [PdfRenderer, DocumentContentService, DocumentsService, DocumentsQueryService, DocumentBatchesService],
  exports: [DocumentsService, PdfRenderer],
})
export class DocumentsModule {}
