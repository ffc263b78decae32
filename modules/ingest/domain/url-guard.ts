import { IngestError, IngestErrorCode } from './ingest.error';
import { hasControlCharacters } from './media-roots';
import { cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp, parseIpv4, parseIpv6, type Cidr, type IpAddress } from './ip-address';

/** Resolves a hostname to its addresses (all of them, both families); injected so tests need no DNS. */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

/** Why an address is refused. */
export type BlockedRange = 'unspecified' | 'loopback' | 'private' | 'link_local' | 'cgnat' | 'metadata' | 'multicast' | 'reserved' | 'broadcast' | 'documentation' | 'self';

/** Schemes a camera URL may use: RTSP(S) cameras, HTTP(S) for MJPEG and HLS. */
export const CAMERA_URL_SCHEMES = ['rtsp:', 'rtsps:', 'http:', 'https:'] as const;

const RANGES: ReadonlyArray<[BlockedRange, string]> = [
  // Metadata first: it also sits inside link-local / ULA, and the specific reason helps operators.
  ['metadata', '169.254.169.254/32'],
  ['metadata', 'fd00:ec2::254/128'],
  ['metadata', '100.100.100.200/32'],
  ['unspecified', '0.0.0.0/8'],
  ['unspecified', '::/128'],
  ['loopback', '127.0.0.0/8'],
  ['loopback', '::1/128'],
  ['private', '10.0.0.0/8'],
  ['private', '172.16.0.0/12'],
  ['private', '192.168.0.0/16'],
  ['private', 'fc00::/7'],
  ['link_local', '169.254.0.0/16'],
  ['link_local', 'fe80::/10'],
  ['cgnat', '100.64.0.0/10'],
  ['broadcast', '255.255.255.255/32'],
  ['reserved', '192.0.0.0/24'],
  ['reserved', '198.18.0.0/15'],
  ['reserved', '240.0.0.0/4'],
  ['reserved', 'fec0::/10'],
  // RFC 5737 / RFC 3849: never on the public internet, so a camera there is a lab or an internal reuse.
  ['documentation', '192.0.2.0/24'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['documentation', '2001:db8::/32'],
  ['multicast', '224.0.0.0/4'],
  ['multicast', 'ff00::/8'],
].map(([kind, cidr]) => [kind as BlockedRange, cidr as string]);

const BLOCKED: ReadonlyArray<[BlockedRange, Cidr]> = RANGES.map(([kind, text]) => [kind, parseCidr(text) as Cidr]);

/**
 * The blocked range an address falls in (looking through IPv4-mapped/NAT64/6to4 forms), or null.
 * `selfAddresses` are the server's own interface addresses (a public IP of the host reaches its
 * services as surely as 127.0.0.1 does).
 */
export function blockedRangeOf(ip: IpAddress, selfAddresses: readonly string[] = []): BlockedRange | null {
  for (const [kind, cidr] of BLOCKED) if (cidrContains(cidr, ip)) return kind;
  for (const own of selfAddresses) {
    const parsed = parseIp(own);
    if (parsed && parsed.family === ip.family && parsed.value === ip.value) return 'self';
  }
  const inner = embeddedIpv4(ip);
  return inner ? blockedRangeOf(inner, selfAddresses) : null;
}

/** Options of {@link assertCameraUrlAllowedOrThrow}. */
export interface UrlGuardOptions {
  /** The host's own interface addresses, refused like loopback (see `hostInterfaceAddresses`). */
  selfAddresses?: readonly string[];
}

/** A tenant's allowlist: CIDRs (`10.1.0.0/16`, `fd12::/64`), IPs, hostnames, or `*.suffix` wildcards. */
export class UrlAllowlist {
  private readonly cidrs: Cidr[] = [];
  private readonly hosts = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const cidr = parseCidr(entry.replace(/^\[|\](?=\/|$)/g, ''));
      if (cidr) this.cidrs.push(cidr);
      else if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1));
      else this.hosts.add(entry.replace(/\.$/, ''));
    }
  }

  allowsHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return this.hosts.has(host) || this.suffixes.some((s) => host.endsWith(s));
  }

  allowsAddress(ip: IpAddress): boolean {
    const inner = embeddedIpv4(ip);
    return this.cidrs.some((c) => cidrContains(c, ip) || (inner !== null && cidrContains(c, inner)));
  }
}

/** A camera URL that passed the guard. */
export interface CheckedUrl {
  url: URL;
  /** Addresses the host resolved to when checked (ffmpeg resolves again: see {@link assertCameraUrlAllowedOrThrow}). */
  addresses: string[];
  /** The URL with credentials stripped, for logs and the API. */
  redacted: string;
}

function hostLiteral(hostname: string): IpAddress | null {
  if (hostname.startsWith('[')) return parseIpv6(hostname);
  // Non-special schemes (rtsp) keep the host verbatim, so `rtsp://2130706433/` arrives here as
  // digits; getaddrinfo would read it as 127.0.0.1, so we must too.
  return /^[0-9a-fx.]+$/i.test(hostname) && /^[0-9]/.test(hostname) ? parseIpv4(hostname) : null;
}

/**
 * Validates a camera URL against SSRF: no control characters (the WHATWG parser would silently
 * drop CR/LF/tab, ffmpeg would not), the scheme must be one of {@link CAMERA_URL_SCHEMES},
 * and the host (an IP literal in any notation, or every address it resolves to) must not be
 * unspecified, loopback, private, link-local, CGNAT, metadata, multicast, reserved,
 * documentation or one of the host's own addresses, unless
 * the tenant's allowlist names the host or a CIDR containing the address. `localhost` and
 * `*.localhost` are loopback without asking DNS.
 *
 * Limitation: ffmpeg resolves the host again when it connects, so a hostile DNS server could
 * answer differently (rebinding). Callers that can should connect to `addresses[0]` directly;
 * for RTSP/TLS through ffmpeg, re-check on every reconnect narrows the window. Redirects are
 * refused by the ffmpeg input arguments (`sources/ffmpeg-input.ts`), since hops are not checked here.
 *
 * @throws IngestError URL_INVALID, URL_SCHEME_NOT_ALLOWED, URL_UNRESOLVABLE or URL_ADDRESS_BLOCKED;
 *   messages carry the redacted URL only.
 */
export async function assertCameraUrlAllowedOrThrow(rawUrl: string, allowlist: UrlAllowlist, resolve: HostResolver, options: UrlGuardOptions = {}): Promise<CheckedUrl> {
  if (hasControlCharacters(rawUrl)) throw new IngestError(IngestErrorCode.URL_INVALID, 'camera URL contains control characters');
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new IngestError(IngestErrorCode.URL_INVALID, `camera URL is not a valid URL: ${redactUrl(rawUrl)}`);
  }
  const redacted = redactUrl(url.href);
  if (!(CAMERA_URL_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw new IngestError(IngestErrorCode.URL_SCHEME_NOT_ALLOWED, `camera URL scheme must be one of ${CAMERA_URL_SCHEMES.join(' ')}, got ${url.protocol}`, { scheme: url.protocol });
  }
  const hostname = url.hostname.toLowerCase();
  if (!hostname) throw new IngestError(IngestErrorCode.URL_INVALID, `camera URL has no host: ${redacted}`);
  const hostAllowed = allowlist.allowsHost(hostname);
  const bare = hostname.replace(/^\[|\]$/g, '');

  const literal = hostLiteral(hostname);
  let addresses: string[];
  if (literal) {
    addresses = [formatIp(literal)];
  } else if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    addresses = ['127.0.0.1', '::1'];
  } else {
    try {
      addresses = [...(await resolve(bare))];
    } catch (cause) {
      throw new IngestError(IngestErrorCode.URL_UNRESOLVABLE, `camera host ${hostname} does not resolve`, { host: hostname }, { cause });
    }
    if (addresses.length === 0) throw new IngestError(IngestErrorCode.URL_UNRESOLVABLE, `camera host ${hostname} does not resolve`, { host: hostname });
  }

  if (!hostAllowed) {
    for (const address of addresses) {
      const ip = parseIp(address);
      if (!ip) throw new IngestError(IngestErrorCode.URL_UNRESOLVABLE, `camera host ${hostname} resolved to a non-address`, { host: hostname });
      const range = blockedRangeOf(ip, options.selfAddresses);
      if (range && !allowlist.allowsAddress(ip)) {
        throw new IngestError(
          IngestErrorCode.URL_ADDRESS_BLOCKED,
          `camera host ${hostname} resolves to ${address} (${range.replace('_', '-')}), which is refused unless the tenant's allowlist names it`,
          { host: hostname, address, range },
        );
      }
    }
  }
  return { url, addresses, redacted };
}

const SECRET_PARAMS = /^(pass(word)?|pwd|token|access_token|auth|authorization|key|api_?key|secret|sig|signature|x-amz-signature|x-amz-credential|credential)$/i;

/**
 * The URL with credentials removed for logging: userinfo becomes `***` and secret-looking
 * query parameters (token, password, signature, ...) are masked. Never throws; text that is
 * not a URL gets the same treatment by pattern.
 */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    for (const key of [...url.searchParams.keys()]) if (SECRET_PARAMS.test(key)) url.searchParams.set(key, '***');
    return url.href;
  } catch {
    return redactUrlsInText(raw);
  }
}

/** Masks credentials in every URL inside free text (ffmpeg's stderr repeats the input URL). */
export function redactUrlsInText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(/([?&](?:pass(?:word)?|pwd|token|access_token|auth|key|api_?key|secret|sig|signature)=)[^&\s]*/gi, '$1***');
}
