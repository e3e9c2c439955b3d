import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { SessionMiddleware } from './auth/session.middleware';
import { Clock } from './common/clock';
import { TianpingValidationPipe } from './common/validation';
import { ConfigModule } from './config/config.module';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { DepartmentsModule } from './departments/departments.module';
import { HealthController } from './health/health.controller';
import { PoolModule } from './pool/pool.module';
import { CasesModule } from './cases/cases.module';
import { DrawsModule } from './draws/draws.module';
import { DocumentsModule } from './documents/documents.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { FollowUpModule } from './followup/followup.module';
import { ErrorFilter } from './web/error.filter';
import { RateLimitMiddleware } from './web/rate-limit.middleware';
import { UploadMiddleware } from './web/upload.middleware';
import { FormViewInterceptor } from './web/form-view.interceptor';
import { ClockModule } from './common/clock.module';

@Module({
  // Express tries routes in the order modules are listed here. Evaluations come first: their
  // autosave is the busiest request, and it was the 161st of 222 layers, about 5% of its CPU
  // spent matching. No route of another module overlaps theirs, so order changes nothing else.
  imports: [ClockModule, DatabaseModule, EvaluationsModule, AuditModule, AuthModule, DepartmentsModule, AccountsModule, PoolModule, CasesModule, DrawsModule, DocumentsModule, FollowUpModule],
  controllers: [HealthController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_PIPE, useClass: TianpingValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: FormViewInterceptor },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config)] };
  }

  configure(consumer: MiddlewareConsumer): void {
    // '{*path}' also matches '/', which '*path' does not.
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
    consumer.apply(RateLimitMiddleware).forRoutes('{*path}');
    // Uploads are parsed after the session is known, so anonymous requests are never buffered.
    consumer.apply(UploadMiddleware).forRoutes(
      { path: 'pool/import', method: RequestMethod.POST },
      { path: 'api/pool/import', method: RequestMethod.POST },
      { path: 'cases/:id/attachments', method: RequestMethod.POST },
      { path: 'api/cases/:id/attachments', method: RequestMethod.POST },
      { path: 'department/tasks/:id/progress', method: RequestMethod.POST },
      { path: 'department/tasks/:id/completion', method: RequestMethod.POST },
      { path: 'api/department/tasks/:id/progress', method: RequestMethod.POST },
      { path: 'api/department/tasks/:id/completion', method: RequestMethod.POST },
    );
  }
}
