import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { DeliveryAnswer } from './delivery-cache';

/** Surrogate keys of a feed or sitemap answer, for HttpCached (which sees it before it is sent). */
export const deliveryKeys = (answer: unknown) => (answer as DeliveryAnswer).keys;

/**
 * Sends a DeliveryAnswer as its own bytes and content type. Listed after HttpCached on a handler,
 * so HttpCached reads the answer's keys first and the ETag is taken over the bytes sent.
 */
@Injectable()
export class DeliveryAnswerInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((answer: DeliveryAnswer) => {
        void reply.header('content-type', answer.contentType);
        return answer.body;
      }),
    );
  }
}
