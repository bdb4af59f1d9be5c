import type { Command } from 'commander';
import { DemoSeeder } from '../../articles/demo/demo-seeder';
import { withArticles } from '../articles-context';
import { CliError, globalOptions, print, requireMigrated, withDatabase } from '../cli-context';

/** `seed-demo [--articles N]`: the demo newsroom, and synthetic articles up to N in all. */
export function registerSeedDemo(program: Command): void {
  program
    .command('seed-demo')
    .description('load the demo sections and articles (again: only what is missing)')
    .option('--articles <n>', 'add synthetic articles up to this many articles in all')
    .action(async (opts: { articles?: string }, cmd: Command) => {
      if (globalOptions(cmd).url) throw new CliError('seed-demo works on the database only (no --url)');
      const articles = opts.articles === undefined ? undefined : Number(opts.articles);
      if (articles !== undefined && (!Number.isInteger(articles) || articles < 0))
        throw new CliError('--articles must be a whole number');
      const result = await withDatabase(async (ds, config) => {
        await requireMigrated(ds);
        return withArticles(config, ds, (app) => app.get(DemoSeeder).seed({ articles }));
      });
      print(
        `demo loaded: ${result.sections} sections, ${result.articles} articles, ${result.synthetic} synthetic articles`,
      );
    });
}
