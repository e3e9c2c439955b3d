import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { idleHelperThreads } from './common/sched-idle';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  app.enableShutdownHooks();
  const idleHelpers = config.HELPER_THREADS_IDLE ? await idleHelperThreads() : 0;
  await app.listen(config.PORT, config.HOST);
  new Logger('Tianping').log(`listening on http://localhost:${config.PORT} (database ${config.databaseLabel}; ${idleHelpers} V8 helper threads at idle priority)`);
}

void main();
