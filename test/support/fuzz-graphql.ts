/**
 * GraphQL documents generated from schema.gql: operations of every kind with random selections
 * (aliases, fragments on the Block union, nesting up to past the depth limit), arguments from
 * their types as literals or as variables, and variables well-formed or spoiled (wrong types,
 * nulls for required values, NUL bytes, huge values, deep nesting), now and then with a document
 * that does not parse or does not validate.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLUnionType,
} from 'graphql';
import {
  junkJson,
  junkNumber,
  junkString,
  preview,
  RawJson,
  stringFor,
  taintedFor,
  toJsonText,
  type ContentPool,
  type Spoiling,
} from './fuzz';

export const graphqlSchema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** Ways a whole document goes wrong: it does not parse, or does not validate. */
const DOCUMENT_SPOILINGS = [
  'truncate',
  'unknown field',
  'undefined fragment',
  'garbage',
  'unused variable',
  'undeclared variable',
  'two operations',
] as const;
type DocumentSpoiling = (typeof DOCUMENT_SPOILINGS)[number];

type InputValue =
  | { literal: unknown; type: GraphQLInputType }
  | { variable: { type: string; value: unknown; omitted: boolean } };
interface FieldSelection {
  alias?: string;
  name: string;
  args: [string, InputValue][];
  selection?: Selection[];
}
type Selection = FieldSelection | { on: string; selection: Selection[] };

export interface GeneratedDocument {
  kind: OperationKind;
  query: string;
  variables: Record<string, unknown>;
  /** The variables as JSON text (they may hold nesting JSON.stringify cannot write). */
  variablesJson: string;
  /** The name in the document, when it has one. */
  operationName?: string;
  [fc.toStringMethod](): string;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JSON value as a GraphQL literal of a type (enum values bare, object keys as names). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const nullable = type ? getNullableType(type) : undefined;
  if (value instanceof RawJson) return value.text.replace(/"a":/g, 'a:');
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return nullable && isEnumType(nullable) && NAME.test(value) && !['true', 'false', 'null'].includes(value)
      ? value
      : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e400';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, nullable && isListType(nullable) ? nullable.ofType : undefined)).join(', ')}]`;
  const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
  return `{${Object.entries(value)
    .map(([k, v], i) => `${NAME.test(k) ? k : `x${i}`}: ${literal(v, fields[k]?.type)}`)
    .join(', ')}}`;
}

export class DocumentGenerator {
  private readonly selections = new Map<string, fc.Arbitrary<Selection[]>>();
  private readonly inputs = new Map<string, fc.Arbitrary<unknown>>();

  constructor(
    private readonly pool: ContentPool,
    private readonly schema = graphqlSchema,
  ) {}

  /** A JSON value for an input type, named by its argument or field (for real ids and slugs). */
  valueFor(type: GraphQLInputType, name: string, mode: Spoiling, required = false): fc.Arbitrary<unknown> {
    const key = `${String(type)}|${name}|${mode}|${required}`;
    let arb = this.inputs.get(key);
    if (!arb) {
      arb = this.buildValue(type, name, mode, required);
      this.inputs.set(key, arb);
    }
    return arb;
  }

  /** `required`: the type is wrapped in a non-null one, so a well-formed value is never null. */
  private buildValue(
    type: GraphQLInputType,
    name: string,
    mode: Spoiling,
    required: boolean,
  ): fc.Arbitrary<unknown> {
    const spoil = mode === 'spoiled';
    if (isNonNullType(type)) {
      const inner = this.valueFor(type.ofType, name, mode, true);
      return spoil
        ? fc.oneof({ weight: 12, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) })
        : inner;
    }
    let valid: fc.Arbitrary<unknown>;
    if (isListType(type)) {
      const item = this.valueFor(type.ofType, name.replace(/s$/, ''), mode);
      valid = fc.oneof(
        { weight: 4, arbitrary: fc.array(item, { maxLength: 3 }) },
        { weight: 1, arbitrary: item },
      );
    } else if (isEnumType(type)) {
      valid = fc.constantFrom(...type.getValues().map((v) => v.name));
    } else if (isInputObjectType(type)) {
      const fields = type.getFields();
      const record = Object.fromEntries(
        Object.entries(fields).map(([k, f]) => [k, this.valueFor(f.type, k, mode)]),
      );
      const required = Object.values(fields)
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => f.name);
      valid = fc.record(record, { requiredKeys: required });
    } else {
      switch (type.name) {
        case 'Int':
          // Mostly page sizes that fit (1..100), now and then one that does not.
          valid = fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 1, max: 100 }) },
            { weight: 1, arbitrary: fc.constantFrom(-1, 0, 101) },
          );
          break;
        case 'Float':
          valid = fc.double({ noNaN: true, noDefaultInfinity: true });
          break;
        case 'Boolean':
          valid = fc.boolean();
          break;
        default: {
          const text = stringFor(this.pool, name === 'id' ? 'articleId' : name);
          valid =
            mode === 'tainted'
              ? fc.oneof(
                  { weight: 2, arbitrary: text },
                  { weight: 1, arbitrary: taintedFor(this.pool, name, text) },
                )
              : text;
        }
      }
    }
    const nullable = required
      ? valid
      : fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) });
    if (!spoil) return nullable;
    const junk =
      type.toString() === 'Int' ? junkNumber : type.toString() === 'String' ? junkString : junkJson;
    return fc.oneof(
      { weight: 6, arbitrary: nullable },
      { weight: 1, arbitrary: junk },
      { weight: 1, arbitrary: junkJson },
    );
  }

  /** An argument given inline or through a variable (declared with its own type or a wrong one). */
  private argument(type: GraphQLInputType, name: string): fc.Arbitrary<InputValue> {
    const wrongType = fc.constantFrom(
      'String',
      'Int!',
      '[ID!]!',
      'Boolean',
      'ArticleInput',
      'Nope',
      'String!!',
    );
    return fc.oneof(
      { weight: 3, arbitrary: this.valueFor(type, name, 'valid').map((v) => ({ literal: v, type })) },
      { weight: 2, arbitrary: this.valueFor(type, name, 'tainted').map((v) => ({ literal: v, type })) },
      { weight: 2, arbitrary: this.valueFor(type, name, 'spoiled').map((v) => ({ literal: v, type })) },
      {
        weight: 5,
        arbitrary: fc
          .record({
            type: fc.oneof(
              { weight: 12, arbitrary: fc.constant(String(type)) },
              { weight: 1, arbitrary: wrongType },
            ),
            value: fc.oneof(
              this.valueFor(type, name, 'valid'),
              this.valueFor(type, name, 'tainted'),
              this.valueFor(type, name, 'spoiled'),
            ),
            omitted: fc.oneof(
              { weight: 15, arbitrary: fc.constant(false) },
              { weight: 1, arbitrary: fc.constant(true) },
            ),
          })
          .map((variable) => ({ variable })),
      },
    );
  }

  private field(
    field: GraphQLField<unknown, unknown>,
    depth: number,
  ): fc.Arbitrary<FieldSelection> | undefined {
    const named = getNullableType(field.type);
    const inner = isListType(named) ? getNullableType(named.ofType) : named;
    const composite = !isLeafType(inner);
    if (composite && depth <= 0) return undefined;
    const args = fc.tuple(
      ...field.args.map((a) => {
        const requiredArg = isNonNullType(a.type) && a.defaultValue === undefined;
        const given = this.argument(a.type, `${a.name}`).map((v) => [a.name, v] as [string, InputValue]);
        return fc.oneof(
          { weight: requiredArg ? 1 : 4, arbitrary: fc.constant(undefined) },
          { weight: requiredArg ? 60 : 3, arbitrary: given },
        );
      }),
      fc.oneof(
        { weight: 200, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constant(['nope', { literal: 1, type: undefined }] as unknown as [
            string,
            InputValue,
          ]),
        },
      ),
    );
    const sub = composite
      ? this.selectionOf(inner as GraphQLObjectType | GraphQLUnionType, depth - 1)
      : fc.constant(undefined);
    const alias = fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      // Named after the field, so that sibling aliases never collide.
      { weight: 1, arbitrary: fc.constantFrom(`${field.name}1`, `${field.name}_b`) },
    );
    return fc.tuple(args, sub, alias).map(([given, selection, a]) => ({
      alias: a,
      name: field.name,
      args: given.filter((g): g is [string, InputValue] => g !== undefined),
      selection,
    }));
  }

  /** A selection set of an object type or union, memoised by type and remaining depth. */
  selectionOf(type: GraphQLObjectType | GraphQLUnionType, depth: number): fc.Arbitrary<Selection[]> {
    const key = `${type.name}|${depth}`;
    let arb = this.selections.get(key);
    if (!arb) {
      // Placed first, so that a type reached again through itself at the same depth terminates.
      arb = fc.constant([{ name: '__typename', args: [] }]);
      this.selections.set(key, arb);
      arb = this.buildSelection(type, depth);
      this.selections.set(key, arb);
    }
    return arb;
  }

  private buildSelection(
    type: GraphQLObjectType | GraphQLUnionType,
    depth: number,
  ): fc.Arbitrary<Selection[]> {
    if (isUnionType(type)) {
      const members = type.getTypes().map((member) =>
        fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary: this.selectionOf(member, depth).map((selection) => ({ on: member.name, selection })),
          },
        ),
      );
      return fc
        .tuple(...members)
        .map((picked) => [
          { name: '__typename', args: [] },
          ...picked.filter((p): p is { on: string; selection: Selection[] } => p !== undefined),
        ]);
    }
    const fields = Object.values(type.getFields())
      .map((f) => this.field(f, depth))
      .filter((f): f is fc.Arbitrary<FieldSelection> => f !== undefined);
    const skip = Math.max(1, Math.round(fields.length / 3));
    const fallback =
      Object.values(type.getFields()).find((f) => isLeafType(getNullableType(f.type)))?.name ?? '__typename';
    return fc
      .tuple(
        ...fields.map((f) =>
          fc.oneof({ weight: skip, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: f }),
        ),
      )
      .map((picked) => {
        const chosen = picked.filter((p): p is FieldSelection => p !== undefined);
        return chosen.length ? chosen : [{ name: fallback, args: [] }];
      });
  }

  /** One root field of an operation, at any of a few depths (one past the depth limit). */
  private rootField(root: GraphQLObjectType): fc.Arbitrary<FieldSelection> {
    const byDepth = [1, 2, 3, 5, 12].map((depth) =>
      fc.oneof(...Object.values(root.getFields()).map((f) => this.field(f, depth)!)),
    );
    return fc.oneof(
      { weight: 3, arbitrary: byDepth[0] },
      { weight: 4, arbitrary: byDepth[1] },
      { weight: 3, arbitrary: byDepth[2] },
      { weight: 2, arbitrary: byDepth[3] },
      { weight: 1, arbitrary: byDepth[4] },
    );
  }

  /** Documents of one kind of operation, or of any kind. */
  documents(
    kinds: Partial<Record<OperationKind, number>> = { query: 1, mutation: 1, subscription: 1 },
  ): fc.Arbitrary<GeneratedDocument> {
    const roots: Record<OperationKind, GraphQLObjectType | null | undefined> = {
      query: this.schema.getQueryType(),
      mutation: this.schema.getMutationType(),
      subscription: this.schema.getSubscriptionType(),
    };
    const perKind = (Object.keys(kinds) as OperationKind[]).map((kind) => {
      const root = roots[kind]!;
      return fc
        .record({
          first: this.rootField(root),
          second: fc.oneof(
            { weight: kind === 'subscription' ? 12 : 3, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: this.rootField(root) },
          ),
          name: fc.oneof(
            { weight: 3, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom('Page', 'Fuzz', 'op_1') },
          ),
          spoil: fc.oneof(
            { weight: 20, arbitrary: fc.constant(undefined) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(...DOCUMENT_SPOILINGS),
            },
          ),
        })
        .map(({ first, second, name, spoil }) => {
          // A second root field named apart from the first, so that the two never conflict.
          const roots = second ? [first, { ...second, alias: second.alias ?? `${second.name}2` }] : [first];
          return render(kind, roots, name, spoil);
        });
    });
    return fc.oneof(...perKind.map((arbitrary, i) => ({ weight: Object.values(kinds)[i], arbitrary })));
  }
}

/** Writes the document and its variables; variables are named in the order they appear. */
function render(
  kind: OperationKind,
  selection: Selection[],
  name: string | undefined,
  spoil?: DocumentSpoiling,
): GeneratedDocument {
  const declared: string[] = [];
  const variables: Record<string, unknown> = {};
  const value = (v: InputValue): string => {
    if ('literal' in v) return literal(v.literal, v.type);
    const varName = `v${declared.length}`;
    declared.push(`$${varName}: ${v.variable.type}`);
    if (!v.variable.omitted) variables[varName] = v.variable.value;
    return `$${varName}`;
  };
  const write = (sels: Selection[]): string =>
    `{ ${sels
      .map((s) => {
        if ('on' in s) return `... on ${s.on} ${write(s.selection)}`;
        const args = s.args.length ? `(${s.args.map(([k, v]) => `${k}: ${value(v)}`).join(', ')})` : '';
        return `${s.alias ? `${s.alias}: ` : ''}${s.name}${args}${s.selection ? ` ${write(s.selection)}` : ''}`;
      })
      .join(' ')} }`;
  const body = write(selection);
  let query = `${kind}${name ? ` ${name}` : ''}${declared.length ? `(${declared.join(', ')})` : ''} ${body}`;
  switch (spoil) {
    case 'truncate':
      query = query.slice(0, Math.floor(query.length / 2));
      break;
    case 'unknown field':
      query = query.replace(/\{ /, '{ nope ');
      break;
    case 'undefined fragment':
      query = query.replace(/\{ /, '{ ...Missing ');
      break;
    case 'garbage':
      query = `${query} }}} $ "\u0000`;
      break;
    case 'unused variable':
      query = query.replace(/^(\w+)( \w+)?(\(|)/, (m, k: string, n = '', paren: string) =>
        paren ? `${k}${n}($unused: Int, ` : `${k}${n}($unused: Int)`,
      );
      break;
    case 'undeclared variable':
      query = query.replace(/\{ (\w+)/, '{ $1(first: $undeclared)');
      break;
    case 'two operations':
      query = `${query}\nquery Other { sections { slug } }`;
      break;
    case undefined:
      break;
  }
  const variablesJson = toJsonText(variables);
  return {
    kind,
    query,
    variables,
    variablesJson,
    operationName: name,
    [fc.toStringMethod]: () => `${preview(query, 1500)} variables ${preview(variablesJson, 600)}`,
  };
}

/** The sha256 of a document, as automatic persisted queries name it. */
export const persistedHash = (query: string): string => createHash('sha256').update(query).digest('hex');
