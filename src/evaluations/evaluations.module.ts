import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EvaluationsApiController } from './evaluations-api.controller';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';
import { MeetingsService } from './meetings.service';
import { ResolutionsService } from './resolutions.service';
import { SheetsService } from './sheets.service';

@Module({
  imports: [CasesModule, NotificationsModule],
  controllers: [EvaluationsController, EvaluationsApiController],
  providers: [EvaluationsService, MeetingsService, SheetsService, ResolutionsService],
  exports: [EvaluationsService, MeetingsService, ResolutionsService],
})
export class EvaluationsModule {}
