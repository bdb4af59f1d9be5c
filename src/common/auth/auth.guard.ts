import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../errors/domain-error';
import { requestOf, type DatelineRequest } from '../http/request-context';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ACCESS_KEY, type Access } from './decorators';
import { KEY_VERIFIER, type KeyVerifier } from './key-verifier';
import { requireRole, type Principal } from './role';

/**
 * The one gate for REST and GraphQL. Every handler must say who may call it (@Public or
 * @RequireRole); a handler that says nothing is refused to everyone, so a forgotten decision
 * fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(KEY_VERIFIER) private readonly keys: KeyVerifier,
    private readonly rateLimits: RateLimitService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    const req = requestOf(ctx);
    const principal = await this.identify(req);
    if (!access) {
      this.logger.error(`No access decision on ${ctx.getClass().name}.${ctx.getHandler().name}; refused`);
      if (!principal) throw new DomainError('UNAUTHENTICATED', 'An API key is required.');
      throw new DomainError('FORBIDDEN', 'This operation is not open to any key.');
    }
    if (access.kind === 'public') return true;
    requireRole(principal, access.role);
    return true;
  }

  /** Reads the bearer key once per request; a key that is sent but not valid is always 401. */
  private async identify(req: DatelineRequest): Promise<Principal | null> {
    if (req.principal !== undefined) return req.principal;
    const header = req.headers.authorization;
    if (!header) {
      req.principal = null;
      return null;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await this.keys.authenticate(match[1]) : null;
    if (!principal) {
      await this.rateLimits.consume('authFailures', req.ip);
      throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
    }
    req.principal = principal;
    return principal;
  }
}
