import { Module } from '@nestjs/common';
import { DepartmentsModule } from '../departments/departments.module';
import { ApplicationsApiController } from './applications-api.controller';
import { ApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';
import { ConflictsService } from './conflicts.service';
import { ImportApiController } from './import-api.controller';
import { ImportController } from './import.controller';
import { ImportService } from './import.service';
import { MeController } from './me.controller';
import { PoolApiController } from './pool-api.controller';
import { PoolController } from './pool.controller';
import { PoolService } from './pool.service';

@Module({
  imports: [DepartmentsModule],
  // Literal paths before parameterised ones: /pool/import before /pool/evaluators/:id etc.
  controllers: [ImportController, ImportApiController, PoolController, PoolApiController, ApplicationsController, ApplicationsApiController, MeController],
  providers: [PoolService, ApplicationsService, ImportService, ConflictsService],
  exports: [PoolService, ApplicationsService, ImportService, ConflictsService],
})
export class PoolModule {}
