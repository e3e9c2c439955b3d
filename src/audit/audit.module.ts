import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditChainService } from './audit-chain.service';
import { AuditService } from './audit.service';

@Global()
@Module({ controllers: [AuditController], providers: [AuditService, AuditChainService], exports: [AuditService, AuditChainService] })
export class AuditModule {}
