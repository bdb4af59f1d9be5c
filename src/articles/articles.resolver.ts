import { GraphQLJSONObject } from 'graphql-type-json';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentPrincipal, Public, RequireRole } from '../common/auth/decorators';
import { requireRole, type Principal } from '../common/auth/role';
import { DomainError } from '../common/errors/domain-error';
import type { GraphqlContext } from '../common/graphql/graphql.config';
import { parseIdOrSlug, parseUuid } from '../common/http/id-or-slug.pipe';
import { SectionRef } from '../sections/section.model';
import type { ArticleRecord } from './article-reader.service';
import { ARTICLE_LOADERS, type ArticleLoaders } from './article.loaders';
import type { Block } from './body/blocks';
import {
  Article,
  ARTICLE_URL,
  ArticleConnection,
  JSON_LD,
  BlockUnion,
  ReactionCount,
  Revision,
  Tag,
  type ArticleSummary,
} from './article.model';
import { ArticlesService } from './articles.service';
import { ArticleInput } from './dto/article.input';
import { ArticlesArgs } from './dto/list-articles.args';
import { ExpectedVersion, intent } from './dto/expected-version';

/** Queries give records (fields come through loaders); mutations give whole articles. */
type Parent = ArticleRecord | Article;

const loaders = (ctx: GraphqlContext) => ctx.loaders.get<ArticleLoaders>(ARTICLE_LOADERS);

@Resolver(() => Article)
export class ArticlesResolver {
  constructor(private readonly service: ArticlesService) {}

  @Query(() => Article, {
    nullable: true,
    description: 'By id or by slug; the public sees published ones only.',
  })
  @Public()
  async article(
    @Args('id', { type: () => ID, nullable: true }) id: string | undefined,
    @Args('slug', { type: () => String, nullable: true }) slug: string | undefined,
    @CurrentPrincipal() who: Principal | null,
  ): Promise<Parent | null> {
    if (!id && !slug) throw DomainError.validation([{ path: 'id', message: 'give id or slug' }]);
    return this.service.find(id ? parseIdOrSlug(id, 'id') : parseIdOrSlug(slug as string, 'slug'), who);
  }

  @Query(() => ArticleConnection, {
    description:
      'Newest first, or by relevance with filter.q. A Relay connection: `first`/`after` pages forward, `last`/`before` backward.',
  })
  @Public()
  articles(@Args() args: ArticlesArgs, @CurrentPrincipal() who: Principal | null) {
    const { filter, ...page } = args;
    return this.service.connection(filter ?? {}, page, who);
  }

  @Mutation(() => Article)
  @RequireRole('contributor')
  createArticle(@Args('input') input: ArticleInput, @CurrentActor() actor: Actor) {
    return this.service.create(input, actor);
  }

  @Mutation(() => Article, { description: '`id` takes an id or a slug; only the fields given change.' })
  @RequireRole('contributor')
  updateArticle(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ArticleInput,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ) {
    return this.service.update(parseIdOrSlug(id, 'id'), input, intent(actor, expectedVersion));
  }

  @Mutation(() => Boolean, { description: 'Moves the article to the trash.' })
  @RequireRole('editor')
  async deleteArticle(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ): Promise<boolean> {
    await this.service.remove(parseIdOrSlug(id, 'id'), intent(actor, expectedVersion));
    return true;
  }

  @Mutation(() => Article, { description: 'A future publishedAt schedules.' })
  @RequireRole('editor')
  publishArticle(
    @Args('id', { type: () => ID }) id: string,
    @Args('publishedAt', { type: () => String, nullable: true }) publishedAt: string | undefined,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ) {
    if (publishedAt && Number.isNaN(Date.parse(publishedAt)))
      throw DomainError.validation([{ path: 'publishedAt', message: 'must be an ISO-8601 time' }]);
    return this.service.publish(
      parseIdOrSlug(id, 'id'),
      publishedAt ?? undefined,
      intent(actor, expectedVersion),
    );
  }

  @Mutation(() => Article)
  @RequireRole('editor')
  unpublishArticle(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ) {
    return this.service.unpublish(parseIdOrSlug(id, 'id'), intent(actor, expectedVersion));
  }

  @Mutation(() => Article, { description: 'Brings an article back from the trash.' })
  @RequireRole('editor')
  restoreArticle(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ) {
    return this.service.restore(parseIdOrSlug(id, 'id'), intent(actor, expectedVersion));
  }

  @Mutation(() => Article, {
    description:
      "Brings a revision's content back (`articleId` takes an id or a slug); the restore is itself kept as a new revision, and the publication state stays as it is.",
  })
  @RequireRole('editor')
  restoreRevision(
    @Args('articleId', { type: () => ID }) articleId: string,
    @Args('revisionId', { type: () => ID }) revisionId: string,
    @CurrentActor() actor: Actor,
    @ExpectedVersion() expectedVersion?: number | null,
  ) {
    return this.service.restoreRevision(
      parseIdOrSlug(articleId, 'articleId'),
      parseUuid(revisionId, 'revisionId'),
      intent(actor, expectedVersion),
    );
  }

  @ResolveField(() => [Revision], {
    nullable: true,
    description:
      'Earlier versions, newest first. Editors only: without a key the field is null with an UNAUTHENTICATED error, as REST answers 401.',
  })
  async revisions(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<Revision[]> {
    requireRole(ctx.req.principal ?? null, 'editor');
    return loaders(ctx).revisions.load(a.id);
  }

  @ResolveField(() => String, { description: ARTICLE_URL })
  async url(@Parent() a: Parent): Promise<string> {
    if (!('sectionId' in a)) return a.url;
    return this.service.reader.urlOf(await this.service.reader.tree(), a);
  }

  @ResolveField(() => GraphQLJSONObject, { description: JSON_LD })
  async jsonLd(@Parent() a: Parent): Promise<Record<string, unknown>> {
    if (!('sectionId' in a)) return a.jsonLd;
    return this.service.reader.jsonLdOf(await this.service.reader.tree(), a);
  }

  @ResolveField(() => SectionRef, { nullable: true })
  async section(@Parent() a: Parent): Promise<SectionRef | null> {
    if (!('sectionId' in a)) return a.section;
    return a.sectionId ? (await this.service.reader.tree()).ref(a.sectionId) : null;
  }

  @ResolveField(() => [SectionRef])
  async breadcrumb(@Parent() a: Parent): Promise<SectionRef[]> {
    if (!('sectionId' in a)) return a.breadcrumb;
    return a.sectionId ? (await this.service.reader.tree()).breadcrumb(a.sectionId) : [];
  }

  @ResolveField(() => [SectionRef])
  async sections(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<SectionRef[]> {
    if (!('sectionId' in a)) return a.sections;
    return loaders(ctx).sections.load(a.id);
  }

  @ResolveField(() => [Tag])
  async tags(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<Tag[]> {
    if (!('sectionId' in a)) return a.tags;
    return loaders(ctx).tags.load(a.id);
  }

  @ResolveField(() => [ReactionCount])
  async reactions(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<ReactionCount[]> {
    if (!('sectionId' in a)) return a.reactions;
    return loaders(ctx).reactions.load(a.id);
  }

  @ResolveField(() => [BlockUnion])
  async body(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<Block[]> {
    return a.body ?? (await loaders(ctx).bodies.load(a.id)).body;
  }

  @ResolveField(() => String, { description: 'Rendered from the blocks; sanitised.' })
  async bodyHtml(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<string> {
    return a.bodyHtml ?? (await loaders(ctx).bodies.load(a.id)).bodyHtml;
  }

  @ResolveField(() => String, { description: 'Text blocks joined by a blank line.' })
  async bodyText(@Parent() a: Parent, @Context() ctx: GraphqlContext): Promise<string> {
    return a.bodyText ?? (await loaders(ctx).bodies.load(a.id)).bodyText;
  }

  @ResolveField(() => [Article])
  async relatedArticles(
    // A pinned article inside a cached one is a summary: it has no pins of its own to hand.
    @Parent() a: Parent | ArticleSummary,
    @Context() ctx: GraphqlContext,
  ): Promise<(ArticleRecord | ArticleSummary)[]> {
    if ('relatedArticles' in a) return a.relatedArticles;
    return loaders(ctx).related.load(a.id);
  }
}
