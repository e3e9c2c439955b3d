import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, from, Observable, switchMap, throwError } from 'rxjs';
import { DomainError, httpStatusOf } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { NoSuchId } from './id.pipe';
import { layoutLocals } from './layout-locals';
import { TianpingRequest } from './request';

export interface FormViewOptions {
  title: string;
  /** Submitted fields to show again; by default all but passwords. */
  keep?: string[];
  /** Name of a controller method (req) => extra template data, e.g. the options of a select. */
  model?: string;
}

const FORM_VIEW_KEY = 'tianping:formView';

/** Signals that the form was re-rendered; the error filter sees the response is sent and stops. */
export class FormAlreadyRendered extends Error {}

/** On a failed submission, render `template` again with the values, field errors and message. */
export const FormView = (template: string, options: FormViewOptions) => SetMetadata(FORM_VIEW_KEY, { template, options });

/**
 * Re-renders a page form when its handler (or the validation pipe before it) reports a
 * DomainError: the user sees their input again with a message beside each bad field and
 * a 4xx status, instead of an error page. Unexpected errors go on to the error filter.
 */
@Injectable()
export class FormViewInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const view = this.reflector.get<{ template: string; options: FormViewOptions } | undefined>(FORM_VIEW_KEY, context.getHandler());
    if (!view) return next.handle();
    const req = context.switchToHttp().getRequest<TianpingRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof DomainError) || error.code === 'forbidden' || error.code === 'csrf' || error instanceof NoSuchId) return throwError(() => error);
        return from(this.extraModel(context, view.options.model, req)).pipe(
          switchMap((extra) =>
            from(
              new Promise<never>((_, reject) => {
                const model = {
                  ...layoutLocals(req),
                  ...extra,
                  title: view.options.title,
                  values: this.keptValues(req.body, view.options.keep),
                  errors: error.fields,
                  // The summary above the form lists the fields' messages: it does not repeat one as its title.
                  formError: Object.keys(error.fields).length > 1 || Object.values(error.fields).includes(error.message) ? zhCN.errors.validation : error.message,
                };
                res.render(view.template, model, (renderError: Error | null, html?: string) => {
                  if (renderError) return reject(renderError);
                  res.status(httpStatusOf(error.code)).type('html').send(html);
                  // The response is complete; stop Nest from rendering the handler's own template too.
                  reject(new FormAlreadyRendered());
                });
              }),
            ),
          ),
        );
      }),
    );
  }

  private keptValues(body: unknown, keep: string[] | undefined): Record<string, unknown> {
    if (!body || typeof body !== 'object') return {};
    const entries = Object.entries(body as Record<string, unknown>).filter(([key]) =>
      keep ? keep.includes(key) : !/password/i.test(key),
    );
    return Object.fromEntries(entries);
  }

  private async extraModel(context: ExecutionContext, method: string | undefined, req: TianpingRequest): Promise<Record<string, unknown>> {
    if (!method) return {};
    const controller = this.moduleRef.get(context.getClass(), { strict: false }) as Record<string, (r: TianpingRequest) => unknown>;
    return ((await controller[method](req)) ?? {}) as Record<string, unknown>;
  }
}
