import { MigrationInterface, QueryRunner } from 'typeorm';

/** Plain text as HTML text: what the escaping of the new rules gives for text without markup. */
const html = (v: string) => `replace(replace(replace(${v}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
/** The same, safe in a quoted attribute too (`alt`, `provider`). */
const bare = (v: string) => `replace(${html(v)}, '"', '&quot;')`;
/** The characters the WHATWG URL serialisation percent-encodes that could end an attribute. */
const url = (v: string) =>
  `replace(replace(replace(replace(replace(btrim(${v}), ' ', '%20'), '"', '%22'), '<', '%3C'), '>', '%3E'), '\`', '%60')`;
/** The block's field rewritten by `f` when the block has it (the block is `e.b`). */
const field = (name: string, f: (v: string) => string) =>
  `CASE WHEN e.b ? '${name}' THEN jsonb_build_object('${name}', ${f(`(e.b->>'${name}')`)}) ELSE '{}'::jsonb END`;

/**
 * Block text fields became sanitised HTML (src/articles/body/blocks.ts): `cite`, `caption`,
 * `credit`, `alt` and `provider` were stored as plain text until now, and `url` as given. Stored
 * bodies are brought to the new form here, so that a client inserting those fields as HTML shows
 * them as they were written: their `&`, `<` and `>` (and `"` in `alt` and `provider`) become
 * entities, and a url's spaces, quotes and angle brackets are percent-encoded. Only bodies with
 * such a block are rewritten; `body_html` was escaped when it was rendered and stays as it is.
 */
export class BlockTextFieldsAsHtml1796035000000 implements MigrationInterface {
  name = 'BlockTextFieldsAsHtml1796035000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE articles a SET body = fixed.body
        FROM (
          SELECT x.id, jsonb_agg(
                   CASE
                     WHEN e.b->>'type' = 'quote' THEN e.b || ${field('cite', html)}
                     WHEN e.b->>'type' = 'image' THEN e.b
                       || jsonb_build_object('url', ${url(`(e.b->>'url')`)}, 'alt', ${bare(`coalesce(e.b->>'alt', '')`)})
                       || ${field('caption', html)}
                       || ${field('credit', html)}
                     WHEN e.b->>'type' = 'embed' THEN e.b
                       || jsonb_build_object('url', ${url(`(e.b->>'url')`)})
                       || ${field('provider', bare)}
                     ELSE e.b
                   END ORDER BY e.i) AS body
            FROM articles x CROSS JOIN LATERAL jsonb_array_elements(x.body) WITH ORDINALITY AS e(b, i)
           WHERE x.body @> '[{"type": "quote"}]' OR x.body @> '[{"type": "image"}]'
              OR x.body @> '[{"type": "embed"}]'
           GROUP BY x.id
        ) fixed
       WHERE a.id = fixed.id`);
  }

  async down(): Promise<void> {
    // Escaping cannot be told apart from text that was written with entities: nothing to undo.
  }
}
