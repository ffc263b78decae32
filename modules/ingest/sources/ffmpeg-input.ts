import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import { hasControlCharacters } from '../domain/media-roots';

/**
 * What ffmpeg/ffprobe may open. ffmpeg follows any protocol it knows (gopher, ftp, tcp, concat,
 * subfile, data, ...) from the input name and from inside containers (HLS playlists, concat
 * lists), so every spawn states the kind, and the kind fixes the protocols and demuxers.
 */
export type FfmpegInput =
  /** A local file; callers pass the real path that MediaAccess resolved. */
  | { kind: 'file'; path: string }
  /** A camera URL that passed the SSRF guard. */
  | { kind: 'network'; url: string };

/**
 * Demuxers for stored video. Not in the list, on purpose: hls, dash, concat, image2 (sequence
 * patterns), tee-like and playlist formats, which open further inputs named inside the file.
 */
const FILE_FORMATS = [
  'mov',
  'mp4',
  'matroska',
  'webm',
  'avi',
  'mpegts',
  'mpeg',
  'flv',
  'asf',
  'ogg',
  'm4v',
  'h264',
  'hevc',
  'mjpeg',
  'mpjpeg',
  'rawvideo',
  'ivf',
  'nut',
  'yuv4mpegpipe',
];

/** Demuxers for live cameras: RTSP, HTTP MJPEG (multipart or bare) and HTTP-served containers. HLS is refused: its segment hosts cannot be checked (docs: media access). */
const NETWORK_FORMATS = ['rtsp', 'mpjpeg', 'mjpeg', 'mpegts', 'flv', 'matroska', 'webm', 'mov', 'mp4', 'h264', 'hevc'];

/** Protocols each scheme needs underneath, and nothing more. */
const NETWORK_PROTOCOLS: Record<string, string> = {
  'rtsp:': 'tcp,udp,rtp',
  'rtsps:': 'tcp,tls,udp,rtp',
  'http:': 'http,tcp',
  'https:': 'https,tls,tcp',
};

/**
 * The argv slice that opens `input`: protocol and demuxer whitelists, then `-i`. Files are
 * passed as `file:<path>`, which ffmpeg cannot read as any other protocol. HTTP(S) refuses
 * redirects (`-max_redirects 0`): ffmpeg resolves and connects to each hop itself, so the SSRF
 * guard could not check a hop before it is requested; a camera that redirects must be
 * configured with its final URL.
 * @throws IngestError URL_INVALID for control characters or an unknown scheme (callers validated already: defence in depth).
 */
export function ffmpegInputArgs(input: FfmpegInput): string[] {
  const text = input.kind === 'file' ? input.path : input.url;
  if (hasControlCharacters(text)) throw new IngestError(IngestErrorCode.URL_INVALID, 'a media path or URL contains control characters');
  if (input.kind === 'file') {
    return ['-protocol_whitelist', 'file', '-format_whitelist', FILE_FORMATS.join(','), '-i', `file:${input.path}`];
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(input.url)?.[0].toLowerCase() ?? '';
  const protocols = NETWORK_PROTOCOLS[scheme];
  if (!protocols) throw new IngestError(IngestErrorCode.URL_SCHEME_NOT_ALLOWED, `camera URL scheme ${scheme || '(none)'} is not allowed`, { scheme });
  const redirects = scheme.startsWith('http') ? ['-max_redirects', '0'] : [];
  return ['-protocol_whitelist', protocols, '-format_whitelist', NETWORK_FORMATS.join(','), ...redirects, '-i', input.url];
}
