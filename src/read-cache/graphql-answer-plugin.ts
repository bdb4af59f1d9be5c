import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { ArticleCache } from './article-cache';
import { answerKind, kinds, recorderOf, type AnswerKind, type AnswerRecorder } from './graphql-answer-cache';

/** The GraphQL type whose objects an answer is kept for and dropped with. */
const ARTICLE_TYPE = 'Article';
/** Arguments that make an answer one reader's own (their reading history): never kept. */
const PERSONAL_ARGUMENTS = ['clientId'];

/**
 * The Apollo side of the GraphQL answer cache, and the one place that records what an answer
 * showed: every Article object a field is resolved on is shown (so a change to it drops the
 * answer), with what a cached article depends on (its pins, public or not, and when a pin comes
 * due). A request being recorded stays cacheable only if it is a page or list query (decided once
 * per document), passes no personal argument and answers without errors. Resolvers know nothing
 * of it. Found by Nest's GraphQL module like any @Plugin provider.
 */
@Plugin()
export class GraphqlAnswerPlugin implements ApolloServerPlugin {
  constructor(private readonly articles: ArticleCache) {}

  requestDidStart({
    contextValue,
  }: {
    contextValue: unknown;
  }): Promise<GraphQLRequestListener<Record<string, unknown>> | void> {
    const recorder = recorderOf((contextValue as { req?: object }).req);
    if (!recorder) return Promise.resolve();
    const articles = this.articles;
    const seen = new WeakSet<object>();
    return Promise.resolve({
      didResolveOperation: ({ document, operation, operationName }) => {
        recorder.operationName = operationName ?? undefined;
        const name = operationName ?? '';
        let byName = kinds.get(document);
        if (!byName) kinds.set(document, (byName = new Map<string, AnswerKind | null>()));
        let kind = byName.get(name);
        if (kind === undefined) byName.set(name, (kind = operation ? answerKind(document, operation) : null));
        if (kind) recorder.kind = kind;
        else recorder.cacheable = false;
        return Promise.resolve();
      },
      executionDidStart: () =>
        Promise.resolve({
          willResolveField: ({ source, args, info }) => {
            if (!recorder.cacheable) return;
            for (const name of PERSONAL_ARGUMENTS)
              if ((args as Record<string, unknown>)[name] != null) recorder.cacheable = false;
            const parent = source as unknown;
            if (info.parentType.name !== ARTICLE_TYPE || !parent || typeof parent !== 'object') return;
            if (seen.has(parent)) return;
            seen.add(parent);
            shown(recorder, articles, parent);
          },
        }),
      willSendResponse: ({ response, errors }) => {
        const body = response.body;
        if (errors?.length || body.kind !== 'single' || body.singleResult.errors?.length)
          recorder.cacheable = false;
        return Promise.resolve();
      },
    });
  }
}

function shown(recorder: AnswerRecorder, articles: ArticleCache, article: { id?: unknown }): void {
  if (typeof article.id === 'string') recorder.ids.push(article.id);
  const deps = articles.dependenciesOf(article);
  if (!deps) return;
  recorder.ids.push(...deps.ids);
  recorder.untilMs = Math.min(recorder.untilMs ?? deps.untilMs, deps.untilMs);
}
