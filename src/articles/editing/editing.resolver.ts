import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public, RequireRole } from '../../common/auth/decorators';
import { parseIdOrSlug } from '../../common/http/id-or-slug.pipe';
import { ArticleInput } from '../dto/article.input';
import { ExpectedVersion, intent } from '../dto/expected-version';
import { WorkingCopies } from './working-copies.service';
import { AuditEntry } from '../../audit/audit.model';
import { AuditService } from '../../audit/audit.service';
import { requireRole } from '../../common/auth/role';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/graphql/limits';
import { isStaff } from '../../common/auth/role';
import type { GraphqlContext } from '../../common/graphql/graphql.config';
import { markPrivateAnswer } from '../../common/http/private-answer';
import type { ArticleRecord } from '../article-reader.service';
import { Article } from '../article.model';
import { EDITING_LOADERS, type EditingLoaders } from './editing.loaders';
import { ArticleLock } from './editing.model';
import { PreviewLinks } from './preview-links.service';
import { DomainError } from '../../common/errors/domain-error';

/** The editing side of an article in GraphQL: previews, and what only editors see. */
@Resolver(() => Article)
export class EditingResolver {
  constructor(
    private readonly previews: PreviewLinks,
    private readonly audit: AuditService,
    private readonly copies: WorkingCopies,
  ) {}

  @Mutation(() => Article, {
    description:
      "Saves the article's working copy (`id` takes an id or a slug): the fields given are merged into it, and nobody but editors sees them until publishArticle makes them live. Answers the article as the working copy would make it, with the working copy's own version.",
  })
  @RequireRole('contributor')
  saveDraft(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ArticleInput,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ): Promise<Article> {
    return this.copies.save(parseIdOrSlug(id, 'id'), input, intent(actor, expectedVersion));
  }

  @Mutation(() => Boolean, {
    description: "Discards the article's working copy; the article stays as it is.",
  })
  @RequireRole('contributor')
  async discardDraft(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ): Promise<boolean> {
    await this.copies.discard(parseIdOrSlug(id, 'id'), intent(actor, expectedVersion));
    return true;
  }

  @ResolveField(() => Article, {
    nullable: true,
    description:
      "The working copy (pending changes not yet published), as the article it would make, with the working copy's own version; null when there is none. Editors (any key) only: null for the public.",
  })
  async draft(@Parent() a: { id: string }, @Context() ctx: GraphqlContext): Promise<Article | null> {
    if (!isStaff(ctx.req.principal ?? null)) return null;
    return this.copies.view(a.id);
  }

  @Query(() => Article, {
    nullable: true,
    description:
      'The article a preview link shows, draft or not, with its working copy when it has one (null when the token is wrong, expired or revoked). No key needed; the answer is `private, no-store` and `X-Robots-Tag: noindex`.',
  })
  @Public()
  async preview(
    @Args('token') token: string,
    @Context() ctx: GraphqlContext,
  ): Promise<ArticleRecord | Article | null> {
    // Never kept by the GraphQL answer cache either: it keeps only `article` and `articles` queries.
    markPrivateAnswer(ctx.req);
    try {
      return await this.previews.record(token);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'PREVIEW_NOT_FOUND') return null;
      throw err;
    }
  }

  @ResolveField(() => [AuditEntry], {
    nullable: true,
    description:
      "The article's audit rows, newest first: who created, changed, published, unpublished, deleted or restored it, or broke its lease, with which request. Editors only: without a key the field is null with an UNAUTHENTICATED error.",
  })
  async history(
    @Parent() a: { id: string },
    @Context() ctx: GraphqlContext,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
  ): Promise<AuditEntry[]> {
    requireRole(ctx.req.principal ?? null, 'editor');
    if (first < 1 || first > MAX_PAGE_SIZE)
      throw DomainError.validation([{ path: 'first', message: `must be 1 to ${MAX_PAGE_SIZE}` }]);
    return this.audit.history('article', a.id, first);
  }

  @ResolveField(() => ArticleLock, {
    nullable: true,
    description: 'The edit lease, while someone holds it. Editors (any key) only: null for the public.',
  })
  async lock(@Parent() a: { id: string }, @Context() ctx: GraphqlContext): Promise<ArticleLock | null> {
    if (!isStaff(ctx.req.principal ?? null)) return null;
    return (await ctx.loaders.get<EditingLoaders>(EDITING_LOADERS).locks.load(a.id)) ?? null;
  }
}
