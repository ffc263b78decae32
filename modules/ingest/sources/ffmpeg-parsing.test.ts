import { IngestError } from '../domain/ingest.error';
import { ffmpegInputArgs, type FfmpegInput } from './ffmpeg-input';
import { ffmpegJpegArgs } from './ffmpeg-jpeg-process';
import { LineSplitter, parseShowinfoLine } from './ffmpeg-progress';
import { parseProbeJson } from './ffprobe';
import { JpegStreamSplitter, readJpegSize } from './jpeg-stream';
import { networkInputArgs } from './network-camera.source';
import { ReconnectPolicy } from './reconnect-policy';

/** A fake JPEG: SOI, an SOF0 header with the size, stuffed FF 00 bytes, EOI. */
function fakeJpeg(width: number, height: number, fill: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xda, 0x00, 0x02, fill, 0xff, 0x00, fill, 0xff, 0xd0, fill]), Buffer.from([0xff, 0xd9])]);
}

describe('JpegStreamSplitter', () => {
  const a = fakeJpeg(640, 480, 1);
  const b = fakeJpeg(1280, 720, 2);
  const stream = Buffer.concat([Buffer.from('junk'), a, b, a]);

  it.each([[1], [2], [3], [7], [stream.length]])('splits a stream fed in chunks of %p bytes', (size) => {
    const splitter = new JpegStreamSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...splitter.push(stream.subarray(i, i + size)));
    expect(out).toEqual([a, b, a]);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it('drops an image that grows past the limit', () => {
    const splitter = new JpegStreamSplitter(64);
    expect(splitter.push(Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(100, 1)]))).toEqual([]);
    expect(splitter.push(a)).toEqual([a]);
  });

  it.each([[a, { width: 640, height: 480 }], [b, { width: 1280, height: 720 }], [Buffer.from('nope'), null]])('reads the size of %#', (jpeg, size) => {
    expect(readJpegSize(jpeg)).toEqual(size);
  });
});

describe('ffmpeg stderr', () => {
  it.each([
    ['[Parsed_showinfo_1 @ 0x55d0] n:   3 pts:  12288 pts_time:0.8     duration:512 fmt:yuv420p', { n: 3, ptsMs: 800 }],
    ['[Parsed_showinfo_0 @ 0x1] n:0 pts:0 pts_time:0 pos:48', { n: 0, ptsMs: 0 }],
    ['[Parsed_showinfo_1 @ 0x1] config in time_base: 1/10, frame_rate: 10/1', null],
    ['frame=   20 fps=0.0 q=5.0 size=N/A time=00:00:02.00', null],
  ])('parses %s', (line, expected) => {
    expect(parseShowinfoLine(line)).toEqual(expected);
  });

  it('splits lines across chunks and carriage returns', () => {
    const s = new LineSplitter();
    expect(s.push('ab')).toEqual([]);
    expect(s.push('c\nde\rf')).toEqual(['abc', 'de']);
    expect(s.flush()).toEqual(['f']);
  });
});

describe('parseProbeJson', () => {
  const stream = { codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, avg_frame_rate: '30000/1001', r_frame_rate: '30000/1001', duration: '12.5', nb_frames: '375' };
  it.each([
    ['a complete stream', { streams: [stream] }, { fps: 30000 / 1001, durationMs: 12500, width: 1280, height: 720, codec: 'h264', frameCount: 375 }],
    ['duration only in the format', { streams: [{ ...stream, duration: undefined, nb_frames: undefined }], format: { duration: '3.2' } }, { fps: 30000 / 1001, durationMs: 3200, width: 1280, height: 720, codec: 'h264', frameCount: null }],
    ['a live stream with 0/0 average rate', { streams: [{ ...stream, avg_frame_rate: '0/0', r_frame_rate: '25/1', duration: undefined, nb_frames: undefined }] }, { fps: 25, durationMs: null, width: 1280, height: 720, codec: 'h264', frameCount: null }],
    ['audio only', { streams: [{ codec_type: 'audio' }] }, null],
    ['no size', { streams: [{ ...stream, width: 0 }] }, null],
  ])('%s', (_name, json, expected) => {
    expect(parseProbeJson(JSON.stringify(json))).toEqual(expected);
  });

  it('returns null for garbage', () => {
    expect(parseProbeJson('not json')).toBeNull();
  });
});

describe('ReconnectPolicy (exponential backoff, full jitter)', () => {
  it.each([
    [0, [0, 0, 0, 0, 0]],
    [0.5, [250, 500, 1000, 2000, 4000]],
    [0.999999, [499, 999, 1999, 3999, 7999]],
  ])('with random() = %p delays are %p', (r, delays) => {
    const policy = new ReconnectPolicy({ baseDelayMs: 500, maxDelayMs: 8000, random: () => r });
    expect(Array.from({ length: 5 }, () => policy.nextAttempt()?.delayMs)).toEqual(delays);
  });

  it('caps the ceiling at maxDelayMs', () => {
    const policy = new ReconnectPolicy({ baseDelayMs: 500, maxDelayMs: 30_000 });
    expect([1, 2, 6, 7, 8, 100].map((n) => policy.ceilingFor(n))).toEqual([500, 1000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('gives up after maxAttempts and resets once a connection is stable', () => {
    const policy = new ReconnectPolicy({ maxAttempts: 2, stableAfterMs: 1000, random: () => 0 });
    expect(policy.nextAttempt()).toEqual({ attempt: 1, delayMs: 0 });
    expect(policy.nextAttempt()).toEqual({ attempt: 2, delayMs: 0 });
    expect(policy.nextAttempt()).toBeNull();
    policy.noteLive(999);
    expect(policy.nextAttempt()).toBeNull();
    policy.noteLive(1000);
    expect(policy.nextAttempt()).toEqual({ attempt: 1, delayMs: 0 });
  });

  it('spreads delays over the whole window (jitter)', () => {
    const policy = new ReconnectPolicy({ baseDelayMs: 1000, maxDelayMs: 1000 });
    const delays = Array.from({ length: 500 }, () => policy.nextAttempt()!.delayMs);
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(900);
  });
});

describe('ffmpeg arguments', () => {
  it('decodes to mjpeg on stdout with showinfo, selecting by fps slot when asked', () => {
    const args = ffmpegJpegArgs({ input: { kind: 'file', path: '/videos/a.mp4' }, fps: 5 });
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', 'file:/videos/a.mp4']);
    expect(args[args.indexOf('-vf') + 1]).toBe("select='isnan(prev_selected_t)+gt(floor(t*5)\\,floor(prev_selected_t*5))',showinfo");
    expect(args.slice(-7)).toEqual(['image2pipe', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '5', 'pipe:1'].slice(-7));
  });

  it.each([
    ['rtsp://cam/s', ['-rtsp_transport', 'tcp', '-timeout', '5000000']],
    ['rtsps://cam/s', ['-rtsp_transport', 'tcp', '-timeout', '5000000']],
    ['http://cam/mjpeg', ['-rw_timeout', '5000000']],
  ])('input options for %s', (url, expected) => {
    expect(networkInputArgs(url, 5000)).toEqual(expected);
  });

  it.each([
    [{ kind: 'file', path: '/v/a.mp4' }, 'file', 'file:/v/a.mp4', false],
    [{ kind: 'file', path: 'gopher://127.0.0.1:6379/5/x' }, 'file', 'file:gopher://127.0.0.1:6379/5/x', false],
    [{ kind: 'network', url: 'rtsp://cam/s' }, 'tcp,udp,rtp', 'rtsp://cam/s', false],
    [{ kind: 'network', url: 'rtsps://cam/s' }, 'tcp,tls,udp,rtp', 'rtsps://cam/s', false],
    [{ kind: 'network', url: 'http://cam/mjpeg' }, 'http,tcp', 'http://cam/mjpeg', true],
    [{ kind: 'network', url: 'HTTPS://cam/mjpeg' }, 'https,tls,tcp', 'HTTPS://cam/mjpeg', true],
  ] as const)('opens %j with protocols %s only, as %s (redirects refused: %s)', (input, protocols, target, noRedirects) => {
    const args = ffmpegInputArgs(input);
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe(protocols);
    expect(args.slice(-2)).toEqual(['-i', target]);
    expect(args[args.indexOf('-format_whitelist') + 1]).not.toMatch(/hls|concat|image2/);
    expect(args.includes('-max_redirects') && args[args.indexOf('-max_redirects') + 1] === '0').toBe(noRedirects);
  });

  it.each([
    { kind: 'network', url: 'gopher://127.0.0.1:6379/5/x' },
    { kind: 'network', url: 'ftp://cam/x' },
    { kind: 'network', url: 'http://cam/\r\nSET k v' },
    { kind: 'file', path: '/v/a.mp4\nx' },
  ] as const)('refuses %j', (input) => {
    expect(() => ffmpegInputArgs(input as FfmpegInput)).toThrow(IngestError);
  });
});
