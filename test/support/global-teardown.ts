export default async function globalTeardown(): Promise<void> {
  await globalThis.__DATELINE_EMBEDDED__?.stop();
}
