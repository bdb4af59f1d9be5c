import { detectFormat } from './detect-format';

const WXR_HEAD =
  '<?xml version="1.0" encoding="UTF-8" ?>\n<!-- generator="WordPress/6.5" -->\n' +
  '<rss version="2.0"\n\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n' +
  '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>';
const RSS_HEAD =
  '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>';
const ATOM_HEAD = '\uFEFF<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">';

describe('detectFormat', () => {
  it('maps the contract content types', () => {
    expect(detectFormat('application/x-ndjson', '')).toBe('ndjson');
    expect(detectFormat('application/json; charset=utf-8', '[')).toBe('json');
    expect(detectFormat('application/vnd.iptc.ninjs+json', '{')).toBe('ninjs');
    expect(detectFormat('application/atom+xml', ATOM_HEAD)).toBe('atom');
    expect(detectFormat('application/rss+xml', RSS_HEAD)).toBe('rss');
  });

  it('tells application/xml and text/xml apart by the root element', () => {
    expect(detectFormat('application/xml', Buffer.from(WXR_HEAD))).toBe('wxr');
    expect(detectFormat('text/xml; charset=UTF-8', RSS_HEAD)).toBe('rss');
    expect(detectFormat('application/xml', ATOM_HEAD)).toBe('atom');
    expect(detectFormat('application/xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rss>')).toBe(
      'rss',
    );
    expect(detectFormat('application/xml', '<html><body/></html>')).toBeNull();
  });

  it('refuses other content types', () => {
    expect(detectFormat('text/plain', '{}')).toBeNull();
    expect(detectFormat('multipart/form-data', '')).toBeNull();
  });

  it('sniffs the bytes when there is no content type (command line)', () => {
    expect(detectFormat(undefined, WXR_HEAD)).toBe('wxr');
    expect(detectFormat(undefined, '  [{"title":"x"}]')).toBe('json');
    expect(detectFormat(undefined, '{"title":"x"}\n')).toBe('ndjson');
    expect(detectFormat(undefined, 'title,body')).toBeNull();
  });
});
