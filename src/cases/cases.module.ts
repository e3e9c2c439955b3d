import { Module } from '@nestjs/common';
import { DepartmentsModule } from '../departments/departments.module';
import { AttachmentStore } from './attachments.service';
import { CasesApiController } from './cases-api.controller';
import { CasesService } from './cases.service';

/**
 * Cases. The case *page* controller is registered by DrawsModule: the page shows the case's
 * draws and panel, and draws build on cases (not the other way round).
 */
@Module({
  imports: [DepartmentsModule],
  controllers: [CasesApiController],
  providers: [CasesService, AttachmentStore],
  exports: [CasesService, AttachmentStore, DepartmentsModule],
})
export class CasesModule {}
