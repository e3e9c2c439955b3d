import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express from 'express';
import * as path from 'node:path';
import { AppModule } from './app.module';
import { AppConfig, levelsUpTo } from './config/app-config';
import { ASSETS_DIR, TEMPLATES_DIR } from './common/paths';
import { fastLane } from './web/fast-lane';
import { securityHeaders } from './web/security-headers';
import { createViewEngine } from './web/view-engine';

/**
 * Builds the whole service on Express, as main.ts runs it and as the e2e specs boot it.
 * Every asset is served from this process (templates/assets, swagger-ui-dist): the
 * service runs on intranets without internet, so no page refers to a CDN.
 */
export async function createApp(config: AppConfig, options: { logger?: false | ('error' | 'warn' | 'log' | 'debug')[] } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: options.logger ?? levelsUpTo(config.LOG_LEVEL),
  });
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  const lane = {
    securityHeaders: securityHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets inline styles; scripts stay strictly same-origin.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
        },
      },
      strictTransportSecurity: config.COOKIE_SECURE,
    }),
    cookies: cookieParser(),
    json: express.json({ limit: '1mb' }),
  };
  // The autosave's short way (see fast-lane.ts): first, so it is found before any other layer.
  app.use(fastLane(app, lane));
  app.use(lane.securityHeaders);
  app.use(lane.cookies);
  app.use(lane.json);
  // extended: nested form fields (history[0][date]) become the same objects the JSON API takes.
  app.use(express.urlencoded({ extended: true, limit: '1mb', parameterLimit: 500 }));
  app.use('/assets', express.static(ASSETS_DIR, { maxAge: '1h', fallthrough: false }));
  // Browsers ask for /favicon.ico on their own; the icon is the SVG the pages name.
  app.use('/favicon.ico', (_req: express.Request, res: express.Response) => res.redirect(301, '/assets/favicon.svg'));
  // The chart library, from the installed package: no CDN on an intranet.
  app.use('/vendor/chart.js', express.static(path.dirname(require.resolve('chart.js')) /* …/chart.js/dist */, { maxAge: '1h', fallthrough: false }));

  app.engine('hbs', createViewEngine({ timeZone: config.APP_TIMEZONE, cache: true }));
  app.setBaseViewsDir(path.join(TEMPLATES_DIR, 'pages'));
  app.setViewEngine('hbs');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('天平 Tianping API')
      .setDescription('信访案件第三方评价系统 JSON API。登录后写请求须带 X-CSRF-Token 头（登录响应中的 csrfToken）。')
      .setVersion('0.1.0')
      .addCookieAuth('tp_sid')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { customSiteTitle: '天平 API 文档' });
  return app;
}

