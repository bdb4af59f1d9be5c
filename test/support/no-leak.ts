/**
 * What must never appear in an answer outside development: stack frames, module paths, SQL and
 * PostgreSQL's own error texts (OWASP API8:2023 Security Misconfiguration: verbose errors).
 */
const LEAKS: { name: string; pattern: RegExp }[] = [
  { name: 'a stack frame', pattern: /\n\s+at \S|\bat (?:async )?\S+ \([^)]*:\d+:\d+\)/ },
  { name: 'a module path', pattern: /node_modules|\/src\/[\w/-]+\.[jt]s|\/dist\/[\w/-]+\.js/ },
  {
    name: 'an SQL statement',
    pattern: /\b(?:SELECT\s+[\w*"]|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM)\b/,
  },
  {
    name: 'a PostgreSQL error text',
    pattern:
      /relation "|column "[^"]*" (?:of|does)|violates (?:unique|foreign key|not-null|check) constraint|syntax error at or near|duplicate key value|SQLSTATE|QueryFailedError|pg_/,
  },
  {
    name: 'an internal error class',
    pattern: /TypeError:|ReferenceError:|EntityMetadataNotFound|TypeORMError/,
  },
];

/** The leaks found in a text, by name; empty when it is clean. */
export function findLeaks(text: string): string[] {
  return LEAKS.filter((l) => l.pattern.test(text)).map((l) => l.name);
}

/** Fails the test when an answer carries a stack trace, a module path or SQL. */
export function expectNoLeak(text: string, context = 'the answer'): void {
  const leaks = findLeaks(text);
  if (leaks.length > 0) {
    throw new Error(`${context} leaks ${leaks.join(', ')}:\n${text.slice(0, 2000)}`);
  }
}
