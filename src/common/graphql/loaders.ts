import { Injectable } from '@nestjs/common';
import type { DatelineRequest } from '../http/request-context';

/** Makes one feature's DataLoaders for one GraphQL request. */
export type LoaderFactory = (req: DatelineRequest) => unknown;

/**
 * Where features register their DataLoader factories. Every GraphQL request gets its own
 * RequestLoaders in its context, so batching and caching never cross requests (and no provider
 * needs request scope).
 */
@Injectable()
export class GraphqlLoaders {
  private readonly factories = new Map<string, LoaderFactory>();

  register(name: string, factory: LoaderFactory): void {
    this.factories.set(name, factory);
  }

  forRequest(req: DatelineRequest): RequestLoaders {
    return new RequestLoaders(this.factories, req);
  }
}

/** The loaders of one request, made on first use. */
export class RequestLoaders {
  private readonly made = new Map<string, unknown>();

  constructor(
    private readonly factories: ReadonlyMap<string, LoaderFactory>,
    private readonly req: DatelineRequest,
  ) {}

  get<T>(name: string): T {
    if (!this.made.has(name)) {
      const factory = this.factories.get(name);
      if (!factory) throw new Error(`No GraphQL loaders registered as ${name}`);
      this.made.set(name, factory(this.req));
    }
    return this.made.get(name) as T;
  }
}
