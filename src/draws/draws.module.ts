import { Module } from '@nestjs/common';
import { CasesController } from '../cases/cases.controller';
import { CasesModule } from '../cases/cases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { DrawsApiController } from './draws-api.controller';
import { DrawsController } from './draws.controller';
import { DrawsService } from './draws.service';
import { FairnessService } from './fairness.service';
import { InboxController } from './inbox.controller';
import { PanelService } from './panel.service';
import { VerifyController } from './verify.controller';

@Module({
  imports: [CasesModule, NotificationsModule, EvaluationsModule],
  controllers: [CasesController, DrawsController, DrawsApiController, VerifyController, InboxController],
  providers: [DrawsService, PanelService, FairnessService],
  exports: [DrawsService, PanelService],
})
export class DrawsModule {}
