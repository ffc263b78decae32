import { IngestError } from './ingest.error';
import { hasControlCharacters, isWithin, mediaRootsOf, parseMediaRoots } from './media-roots';

const ACME = '6f1c2d3e-0000-4000-8000-000000000001';

describe('parseMediaRoots', () => {
  it.each([
    ['', [], []],
    ['*=/srv/media', ['/srv/media'], []],
    [` *=/srv/a/ ; ${ACME}=/srv/acme;*=/srv/b `, ['/srv/a/', '/srv/b'], ['/srv/acme']],
    [`${ACME.toUpperCase()}=/srv/acme/../acme2`, [], ['/srv/acme2']],
  ])('parses %j', (text, shared, acme) => {
    const roots = parseMediaRoots(text);
    expect(roots.shared).toEqual(shared);
    expect(roots.byTenant.get(ACME) ?? []).toEqual(acme);
    expect(mediaRootsOf(roots, ACME)).toEqual([...shared, ...acme]);
    expect(mediaRootsOf(roots, '6f1c2d3e-0000-4000-8000-000000000002')).toEqual(shared);
  });

  it.each([['/srv/media'], ['acme=/srv/acme'], ['*=relative/dir'], ['*='], ['*=/srv/\nx']])('refuses %j', (text) => {
    expect(() => parseMediaRoots(text)).toThrow(IngestError);
  });
});

describe('isWithin', () => {
  it.each([
    ['/srv/media', '/srv/media/a.mp4', true],
    ['/srv/media', '/srv/media/sub/a.mp4', true],
    ['/srv/media', '/srv/media', true],
    ['/srv/media', '/srv/media2/a.mp4', false],
    ['/srv/media', '/srv/a.mp4', false],
    ['/srv/media', '/srv/media/../secret', false],
    ['/srv/media', '/etc/passwd', false],
    ['/', '/etc/passwd', true],
  ])('%s contains %s: %p', (root, path, inside) => {
    expect(isWithin(root, path)).toBe(inside);
  });
});

describe('hasControlCharacters', () => {
  it.each([
    ['/srv/a b/vidéo 東京.mp4', false],
    ['/srv/a\r\nb', true],
    ['/srv/a\tb', true],
    ['/srv/a\u0000', true],
    ['/srv/a\u007f', true],
    ['/srv/a\u0085', true],
  ])('%j: %p', (text, expected) => {
    expect(hasControlCharacters(text)).toBe(expected);
  });
});
