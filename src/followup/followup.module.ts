import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DocumentsModule } from '../documents/documents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ClosingService } from './closing.service';
import { FollowUpApiController } from './follow-up-api.controller';
import { FollowUpScheduler } from './follow-up-scheduler.service';
import { FollowUpController } from './follow-up.controller';
import { OversightController } from './oversight.controller';
import { ReportsService } from './reports.service';
import { TasksService } from './tasks.service';

@Module({
  imports: [CasesModule, NotificationsModule, DocumentsModule],
  controllers: [FollowUpController, OversightController, FollowUpApiController],
  providers: [TasksService, ClosingService, ReportsService, FollowUpScheduler],
  exports: [TasksService, FollowUpScheduler],
})
export class FollowUpModule {}
