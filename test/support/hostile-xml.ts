/**
 * An RSS feed of about `bytes` bytes: one real item (`guid`), after empty elements of 100
 * attributes each. Cheap to send, costly to parse: XML validation and parsing take about a second
 * per 100,000 attributes (some 800 KB) here. The tests and `npm run bench` send it to imports.
 */
export function attributeFlood(guid: string, bytes: number): string {
  let attrs = '';
  for (let a = 0; a < 100; a++) attrs += ` a${a}="v"`;
  const element = `<x${attrs}/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Flood</title>${element.repeat(Math.ceil(bytes / element.length))}
<item><title>The one real item</title><guid>${guid}</guid><description>Still imported.</description></item>
</channel></rss>`;
}
