import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { idleHelperThreads } from './common/sched-idle';
import { announceService } from './common/service-pid';
import { ConfigError, loadConfig } from './config/app-config';
import { DocumentsService } from './documents/documents.service';

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
  // A restore refuses to swap the database under a running service (src/cli.ts).
  const withdraw = announceService(config.dataDir);
  // On a stop signal Nest closes the app and re-raises the signal, which skips 'exit' handlers.
  for (const event of ['exit', 'SIGTERM', 'SIGINT'] as const) process.once(event, withdraw);
  const idleHelpers = config.HELPER_THREADS_IDLE ? await idleHelperThreads() : 0;
  await app.listen(config.PORT, config.HOST);
  const logger = new Logger('Tianping');
  logger.log(`listening on http://localhost:${config.PORT} (database ${config.databaseLabel}; ${idleHelpers} V8 helper threads at idle priority)`);
  if (config.PDF_WARM_START) {
    // In the background: the service answers meanwhile, and without Chromium it still serves all but documents.
    const started = performance.now();
    app.get(DocumentsService).warmUp().then(
      (ready) => ready && logger.log(`document renderer ready in ${Math.round(performance.now() - started)} ms`),
      (error: Error) => logger.warn(`document renderer not ready: ${error.message}`),
    );
  }
}

void main();
