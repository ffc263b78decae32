import { readIngestCliConfig } from './cli-config';
import { ProgressBar } from './progress-bar';

describe('readIngestCliConfig', () => {
  it.each([
    [undefined, 'http://127.0.0.1:4000/graphql', 'ws://127.0.0.1:4000/graphql'],
    ['http://api.example.com', 'http://api.example.com/graphql', 'ws://api.example.com/graphql'],
    ['https://api.example.com/', 'https://api.example.com/graphql', 'wss://api.example.com/graphql'],
    ['https://edge.example.com/trinetra/graphql', 'https://edge.example.com/trinetra/graphql', 'wss://edge.example.com/trinetra/graphql'],
  ])('TRINETRA_API_URL=%s -> %s and %s', (url, httpUrl, wsUrl) => {
    expect(readIngestCliConfig({ TRINETRA_API_URL: url, TRINETRA_API_KEY: 'key' })).toEqual({ httpUrl, wsUrl, apiKey: 'key' });
  });

  it.each([
    [{}, /TRINETRA_API_KEY is not set/],
    [{ TRINETRA_API_KEY: '' }, /TRINETRA_API_KEY is empty/],
    [{ TRINETRA_API_KEY: 'k', TRINETRA_API_URL: '127.0.0.1:4000' }, /TRINETRA_API_URL must be an http/],
  ])('refuses %j', (env, message) => {
    expect(() => readIngestCliConfig(env)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }));
  });
});

function stream(isTTY: boolean) {
  let text = '';
  return { isTTY, columns: 80, write: (c: string) => (text += c), text: () => text };
}

describe('ProgressBar', () => {
  it('prints one numbered line per finished item when not a TTY, and no bar', () => {
    const s = stream(false);
    const bar = new ProgressBar(s, 0, 0);
    bar.set(1, 3);
    bar.update('b.mp4 5/10 frames');
    bar.log('done a.mp4');
    bar.set(3, 3);
    bar.log('failed c.mp4 (bad)');
    bar.finish();
    expect(s.text()).toBe('[1/3] done a.mp4\n[3/3] failed c.mp4 (bad)\n');
  });

  it('redraws in place on a TTY and clears the line at the end', () => {
    const s = stream(true);
    const bar = new ProgressBar(s, 0, 0);
    bar.set(1, 4);
    bar.log('done a.mp4');
    bar.finish();
    expect(s.text()).toContain(`\r\x1b[2K[${'#'.repeat(6)}${'.'.repeat(18)}] 1/4`);
    expect(s.text()).toContain('\r\x1b[2Kdone a.mp4\n');
    expect(s.text().endsWith('\r\x1b[2K')).toBe(true);
  });
});
