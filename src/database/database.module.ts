import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { BackupService } from './backup.service';
import { openDatabase } from './data-source';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  providers: [
    { provide: DataSource, inject: [AppConfig], useFactory: (config: AppConfig) => openDatabase(config) },
    UnitOfWork,
    BackupService,
  ],
  exports: [DataSource, UnitOfWork, BackupService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
