import { Module } from '@nestjs/common';
import { DepartmentsModule } from '../departments/departments.module';
import { AccountsApiController } from './accounts-api.controller';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [DepartmentsModule],
  controllers: [AccountsController, AccountsApiController],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
