import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const file = (fileName: string, path: string) => ({ fileName, contents: readFileSync(path, 'utf8') });
/** The sitemap protocol's schema as the `sitemap` package ships it, and Google's news schema. */
const SITEMAP_XSD = file('sitemap.xsd', resolve(__dirname, '../../node_modules/sitemap/schema/sitemap.xsd'));
const NEWS_XSD = file('sitemap-news.xsd', resolve(__dirname, 'sitemap-news.xsd'));
/** One schema that takes both namespaces, as the package's all.xsd does (without fetching). */
const BOTH = {
  fileName: 'both.xsd',
  contents: `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="sitemap.xsd"/>
  <import namespace="http://www.google.com/schemas/sitemap-news/0.9" schemaLocation="sitemap-news.xsd"/>
</schema>`,
};

/** xmllint's complaints about a sitemap (a urlset) against the XSDs; empty when it is valid. */
export async function sitemapXsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: 'sitemap.xml', contents: xml },
    schema: BOTH,
    preload: [SITEMAP_XSD, NEWS_XSD],
  });
  return result.errors.map((e) => e.rawMessage);
}
