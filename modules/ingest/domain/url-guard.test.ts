import { IngestError, IngestErrorCode } from './ingest.error';
import { cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp, parseIpv4 } from './ip-address';
import { assertCameraUrlAllowedOrThrow, blockedRangeOf, redactUrl, redactUrlsInText, UrlAllowlist, type HostResolver } from './url-guard';

const dns: Record<string, string[]> = {
  'cam.example.com': ['93.184.216.34'],
  'dual.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'rebind.example.com': ['93.184.216.34', '10.0.0.5'],
  'internal.corp': ['10.20.30.40'],
  'nvr.store.corp': ['192.168.1.20'],
  'metadata.evil.com': ['169.254.169.254'],
  'mapped.evil.com': ['::ffff:127.0.0.1'],
  'cgnat.evil.com': ['100.64.1.1'],
  'docs.evil.com': ['198.51.100.7'],
  'self.evil.com': ['93.184.216.99'],
};
const resolve: HostResolver = async (host) => {
  const found = dns[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

/** The server's own interface addresses in these tests: a public v4 and a global v6. */
const SELF = ['93.184.216.99', '2606:4700::1111'];

async function check(url: string, allow: string[] = []) {
  try {
    const ok = await assertCameraUrlAllowedOrThrow(url, new UrlAllowlist(allow), resolve, { selfAddresses: SELF });
    return { ok: true as const, addresses: ok.addresses, redacted: ok.redacted };
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    return { ok: false as const, code: e.code, range: e.details['range'], message: e.message };
  }
}

describe('parseIpv4 (inet_aton forms)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1'],
    ['10.0x10.1', '10.16.0.1'],
    ['192.168.1.1.', '192.168.1.1'],
  ])('%s -> %s', (text, expected) => {
    expect(formatIp(parseIpv4(text)!)).toBe(expected);
  });

  it.each([['256.0.0.1'], ['1.2.3.4.5'], ['1.2.3.256'], ['09.1.1.1'], ['a.b.c.d'], [''], ['4294967296']])('rejects %s', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });
});

describe('IPv6 parsing and ranges', () => {
  it.each([
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1%eth0', 'link_local'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2606:2800:220:1:248:1893:25c8:1946', null],
    ['2001:db8::1', 'documentation'],
    ['2001:db9::1', null],
    ['64:ff9b::c000:201', 'documentation'],
  ])('%s is %p', (text, range) => {
    expect(blockedRangeOf(parseIp(text)!)).toBe(range);
  });

  it.each([['1:2:3:4:5:6:7:8:9'], ['1::2::3'], ['12345::'], ['::ffff:1.2.3']])('rejects %s', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it('matches CIDRs by family', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('10.255.0.1')!)).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('::a00:1')!)).toBe(false);
    expect(embeddedIpv4(parseIp('::ffff:1.2.3.4')!)).toEqual(parseIp('1.2.3.4'));
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });
});

describe('assertCameraUrlAllowedOrThrow', () => {
  it.each([
    ['rtsp://cam.example.com:554/stream1', ['93.184.216.34']],
    ['rtsps://user:secret@cam.example.com/live', ['93.184.216.34']],
    ['http://cam.example.com/mjpeg', ['93.184.216.34']],
    ['https://dual.example.com/live/index.m3u8', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']],
    ['rtsp://93.184.216.34/stream', ['93.184.216.34']],
  ])('accepts %s', async (url, addresses) => {
    expect(await check(url)).toMatchObject({ ok: true, addresses });
  });

  it.each([
    ['rtsp://127.0.0.1/stream', 'loopback'],
    ['rtsp://localhost:8554/x', 'loopback'],
    ['http://cam.localhost/x', 'loopback'],
    ['rtsp://2130706433/x', 'loopback'],
    ['rtsp://0x7f.1/x', 'loopback'],
    ['http://2130706433/x', 'loopback'],
    ['http://[::1]:8080/x', 'loopback'],
    ['http://[::ffff:127.0.0.1]/x', 'loopback'],
    ['rtsp://mapped.evil.com/x', 'loopback'],
    ['rtsp://0.0.0.0/x', 'unspecified'],
    ['rtsp://10.1.2.3/x', 'private'],
    ['rtsp://172.16.0.9/x', 'private'],
    ['rtsp://172.31.255.255/x', 'private'],
    ['rtsp://192.168.0.10/x', 'private'],
    ['rtsp://internal.corp/x', 'private'],
    ['rtsp://rebind.example.com/x', 'private'],
    ['http://[fd12::1]/x', 'private'],
    ['rtsp://169.254.10.10/x', 'link_local'],
    ['http://[fe80::1]/x', 'link_local'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://metadata.evil.com/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'metadata'],
    ['rtsp://100.64.0.1/x', 'cgnat'],
    ['rtsp://cgnat.evil.com/x', 'cgnat'],
    ['rtsp://224.0.0.1/x', 'multicast'],
    ['rtsp://255.255.255.255/x', 'broadcast'],
    ['rtsp://192.0.2.1/x', 'documentation'],
    ['rtsp://198.51.100.255/x', 'documentation'],
    ['http://203.0.113.10/x', 'documentation'],
    ['http://[2001:db8::1]/x', 'documentation'],
    ['http://[2001:db8:ffff::1]/x', 'documentation'],
    ['http://[::ffff:203.0.113.10]/x', 'documentation'],
    ['rtsp://docs.evil.com/x', 'documentation'],
    ['rtsp://93.184.216.99/x', 'self'],
    ['rtsp://self.evil.com/x', 'self'],
    ['http://[2606:4700::1111]/x', 'self'],
    ['http://[::ffff:93.184.216.99]/x', 'self'],
  ])('refuses %s (%s)', async (url, range) => {
    expect(await check(url)).toMatchObject({ ok: false, code: IngestErrorCode.URL_ADDRESS_BLOCKED, range });
  });

  it.each([
    ['rtsp://10.1.2.3/x', ['10.0.0.0/8']],
    ['rtsp://192.168.1.20/x', ['192.168.1.0/24']],
    ['rtsp://nvr.store.corp/x', ['nvr.store.corp']],
    ['rtsp://nvr.store.corp/x', ['*.store.corp']],
    ['rtsp://nvr.store.corp/x', ['192.168.1.20']],
    ['http://[fd12::1]/x', ['fd12::/16']],
    ['http://[::ffff:10.0.0.1]/x', ['10.0.0.0/8']],
    ['rtsp://203.0.113.10/x', ['203.0.113.0/24']],
    ['http://[2001:db8::1]/x', ['2001:db8::/32']],
    ['rtsp://93.184.216.99/x', ['93.184.216.99/32']],
    ['rtsp://self.evil.com/x', ['self.evil.com']],
  ])('allows %s when the allowlist names %p', async (url, allow) => {
    expect(await check(url, allow)).toMatchObject({ ok: true });
  });

  it.each([
    ['rtsp://10.1.2.3/x', ['10.2.0.0/16']],
    ['rtsp://nvr.store.corp/x', ['other.store.corp']],
    ['rtsp://nvr.store.corp/x', ['*.corp.example']],
  ])('still refuses %s with an unrelated allowlist %p', async (url, allow) => {
    expect(await check(url, allow)).toMatchObject({ ok: false, code: IngestErrorCode.URL_ADDRESS_BLOCKED });
  });

  it.each([
    ['file:///etc/passwd', IngestErrorCode.URL_SCHEME_NOT_ALLOWED],
    ['gopher://cam.example.com/', IngestErrorCode.URL_SCHEME_NOT_ALLOWED],
    ['rtmp://cam.example.com/live', IngestErrorCode.URL_SCHEME_NOT_ALLOWED],
    ['not a url', IngestErrorCode.URL_INVALID],
    ['rtsp:///nohost', IngestErrorCode.URL_INVALID],
    ['rtsp://unknown.example.com/x', IngestErrorCode.URL_UNRESOLVABLE],
    ['http://cam.example.com/\r\nSET k v', IngestErrorCode.URL_INVALID],
    ['http://cam.exa\tmple.com/', IngestErrorCode.URL_INVALID],
    ['http://cam.example.com/\u0000', IngestErrorCode.URL_INVALID],
    ['http://cam.example.com/\u0085', IngestErrorCode.URL_INVALID],
  ])('rejects %j with %s', async (url, code) => {
    expect(await check(url)).toMatchObject({ ok: false, code });
  });

  it('never puts credentials in error messages', async () => {
    const result = await check('rtsp://admin:hunter2@10.0.0.1/x');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const bad = await check('ftp://admin:hunter2@cam.example.com/');
    expect(JSON.stringify(bad)).not.toContain('hunter2');
  });
});

describe('redactUrl', () => {
  it.each([
    ['rtsp://admin:hunter2@cam.example.com:554/s', 'rtsp://***@cam.example.com:554/s'],
    ['rtsp://admin@cam.example.com/s', 'rtsp://***@cam.example.com/s'],
    ['https://cdn.example.com/live.m3u8?token=abc&quality=hd', 'https://cdn.example.com/live.m3u8?token=***&quality=hd'],
    ['http://cam.example.com/mjpeg?user=a&pwd=b', 'http://cam.example.com/mjpeg?user=a&pwd=***'],
    ['http://cam.example.com/plain', 'http://cam.example.com/plain'],
    ['not a url admin:pw@x', 'not a url admin:pw@x'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('masks URLs inside free text such as ffmpeg stderr', () => {
    const line = "[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\nrtsp://admin:hunter2@10.0.0.1:554/live: Server returned 401";
    expect(redactUrlsInText(line)).toBe("[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\nrtsp://***@10.0.0.1:554/live: Server returned 401");
  });
});
