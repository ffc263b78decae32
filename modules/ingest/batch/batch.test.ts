import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IngestError } from '../domain/ingest.error';
import { JsonlGzWriter, sweepTemporaryOutputs } from './jsonl-gz.writer';
import { parseManifest, planManifest, type ManifestFileAccess } from './manifest-import';
import { MediaAccess } from '../application/media-access';
import { parseMediaRoots } from '../domain/media-roots';
import { mediaFileAccess } from './node-file-access';
import { decodeText, detectDelimiter, detectEncoding, type TextEncoding } from './text-encoding';
import { applyVideoJobEvent, canApply, newVideoJob, type VideoJobEvent, type VideoJobStatus } from './video-job';

const CSV = 'local_path,label,camera\n/v/café.mp4,jump,A\n/v/b.mp4,run,B\n';

function encode(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf-8': return Buffer.from(text, 'utf8');
    case 'utf-8-bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'latin1': return Buffer.from(text, 'latin1');
  }
}

describe('encoding and delimiter detection', () => {
  it.each<[TextEncoding]>([['utf-8'], ['utf-8-bom'], ['utf-16le'], ['utf-16be'], ['latin1']])('detects and decodes %s', (encoding) => {
    const bytes = encode(CSV, encoding);
    expect(detectEncoding(bytes)).toBe(encoding);
    expect(decodeText(bytes, encoding)).toBe(CSV);
  });

  it('detects UTF-16LE without a BOM', () => {
    expect(detectEncoding(Buffer.from(CSV, 'utf16le'))).toBe('utf-16le');
  });

  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2,5;3', ';'],
    ['a\tb\n1\t2', '\t'],
    ['a|b\n1|2', '|'],
    ['"x;y",b\n"1;2",3', ','],
    ['local_path\n/a.mp4', ','],
  ])('delimiter of %j is %j', (text, d) => {
    expect(detectDelimiter(text)).toBe(d);
  });
});

describe('parseManifest', () => {
  it.each<[TextEncoding]>([['utf-8'], ['utf-8-bom'], ['utf-16le'], ['utf-16be']])('reads a %s manifest with decomposed non-ASCII names, normalized to NFC', (encoding) => {
    const parsed = parseManifest(encode(CSV.replace('café', 'cafe\u0301'), encoding));
    expect(parsed.entries[0]).toEqual({ line: 2, localPath: '/v/café'.normalize('NFC') + '.mp4', label: 'jump', filename: 'café.mp4'.normalize('NFC'), remoteUrl: null, metadata: { camera: 'A' } });
    expect(parsed.entries[0]!.localPath).toBe('/v/caf\u00e9.mp4');
  });

  it('reads latin1 (an old export) into proper Unicode', () => {
    const parsed = parseManifest(Buffer.from('local_path;label\n/v/Müller.mp4;größe\n', 'latin1'));
    expect(parsed).toMatchObject({ encoding: 'latin1', delimiter: ';', entries: [{ localPath: '/v/Müller.mp4', label: 'größe' }] });
  });

  it('reports malformed rows with line numbers and keeps going', () => {
    const text = ['local_path,label,filename,remote_url,notes', '/v/a.mp4,x,,,', '/v/b.mp4,y,b.mp4', ',z,,,', '/v/c.mp4,w,clip c.mp4,https://cdn.example.com/c.mp4,"said ""hi"""', '', '/v/d.mp4,v,,,'].join('\r\n');
    const parsed = parseManifest(Buffer.from(text));
    expect(parsed.entries.map((e) => [e.line, e.localPath])).toEqual([[2, '/v/a.mp4'], [5, '/v/c.mp4'], [7, '/v/d.mp4']]);
    expect(parsed.malformed.map((m) => m.line)).toEqual([3, 4]);
    expect(parsed.malformed[1]!.message).toBe('local_path is empty');
    expect(parsed.entries[1]).toMatchObject({ filename: 'clip c.mp4', remoteUrl: 'https://cdn.example.com/c.mp4', metadata: { notes: 'said "hi"' } });
  });

  it.each([['an empty file', ''], ['no local_path column', 'path,label\n/a.mp4,x\n']])('refuses %s', (_name, text) => {
    expect(() => parseManifest(Buffer.from(text))).toThrow(IngestError);
  });
});

describe('planManifest', () => {
  const files: Record<string, string> = { '/v/a.mp4': 'AAA', '/v/b.mp4': 'BBB', '/v/a-copy.mp4': 'AAA' };
  const access: ManifestFileAccess = {
    readableFile: async (p) => (p in files ? p : null),
    sha1: async (p) => createHash('sha1').update(files[p]!).digest('hex'),
  };

  it('marks missing files and reuses duplicates by SHA-1', async () => {
    const { entries } = parseManifest(Buffer.from('local_path\n/v/a.mp4\n/v/gone.mp4\n/v/a-copy.mp4\n/v/b.mp4\n'));
    const plan = await planManifest(entries, access);
    expect(plan.map((p) => [p.line, p.status, p.duplicateOf])).toEqual([[2, 'queued', null], [3, 'missing_file', null], [4, 'duplicate', 2], [5, 'queued', null]]);
  });

  it('hashes real files inside the media roots only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trinetra-plan-'));
    try {
      writeFileSync(join(dir, 'x.mp4'), 'hello');
      const files = mediaFileAccess(new MediaAccess({ roots: parseMediaRoots(`*=${dir}`), dataDir: join(dir, 'data') }))('6f1c2d3e-0000-4000-8000-000000000001');
      const real = await files.readableFile(join(dir, 'x.mp4'));
      expect(real).not.toBeNull();
      expect(await files.readableFile(dir)).toBeNull();
      expect(await files.readableFile('/etc/passwd')).toBeNull();
      expect(await files.sha1(real!)).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('video job state machine', () => {
  const complete: VideoJobEvent = { type: 'complete', at: 5, frameCount: 10, quality: 0.9, outputPath: '/o.jsonl.gz', outputSha256: 'ab' };
  it.each<[VideoJobStatus, VideoJobEvent['type'], VideoJobStatus | null]>([
    ['queued', 'start', 'processing'],
    ['processing', 'complete', 'done'],
    ['processing', 'fail', 'failed'],
    ['failed', 'requeue', 'queued'],
    ['processing', 'requeue', 'queued'],
    ['queued', 'file_missing', 'missing_file'],
    ['missing_file', 'requeue', 'queued'],
    ['done', 'start', null],
    ['done', 'requeue', null],
    ['queued', 'complete', null],
    ['failed', 'start', null],
    ['processing', 'start', null],
  ])('%s --%s--> %p', (from, type, to) => {
    const job = { ...newVideoJob('j1', 0), status: from };
    const event: VideoJobEvent = type === 'complete' ? complete : type === 'fail' ? { type, at: 5, error: 'boom' } : { type, at: 5 };
    expect(canApply(from, type)).toBe(to !== null);
    if (to === null) expect(() => applyVideoJobEvent(job, event)).toThrow(IngestError);
    else expect(applyVideoJobEvent(job, event).status).toBe(to);
  });

  it('records timings, attempts, errors and results along a retry', () => {
    let job = newVideoJob('j2', 100);
    job = applyVideoJobEvent(job, { type: 'start', at: 110 });
    job = applyVideoJobEvent(job, { type: 'fail', at: 120, error: 'decoder crashed' });
    expect(job).toMatchObject({ status: 'failed', attempts: 1, error: 'decoder crashed', finishedAt: 120 });
    job = applyVideoJobEvent(job, { type: 'requeue', at: 200 });
    job = applyVideoJobEvent(job, { type: 'start', at: 210 });
    job = applyVideoJobEvent(job, complete);
    expect(job).toMatchObject({ status: 'done', attempts: 2, error: null, frameCount: 10, quality: 0.9, outputSha256: 'ab' });
  });
});

describe('JsonlGzWriter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'trinetra-jsonl-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes gzip JSON lines atomically with a checksum of the stored bytes', async () => {
    const path = join(dir, 'video-1.jsonl.gz');
    const writer = await JsonlGzWriter.open(path);
    for (let i = 0; i < 2000; i += 1) await writer.write({ frame: i, tracks: [{ id: 1, box: [i, 2, 3, 4] }] });
    expect(existsSync(path)).toBe(false);
    const out = await writer.commit();
    const stored = readFileSync(path);
    expect(out).toEqual({ path, sha256: createHash('sha256').update(stored).digest('hex'), bytes: stored.length, records: 2000 });
    const lines = gunzipSync(stored).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    expect(JSON.parse(lines[1999]!)).toEqual({ frame: 1999, tracks: [{ id: 1, box: [1999, 2, 3, 4] }] });
    expect(readdirSync(dir)).toEqual(['video-1.jsonl.gz']);
  });

  it('leaves the previous output in place until the new one is committed, and abort removes the temporary file', async () => {
    const path = join(dir, 'v.jsonl.gz');
    writeFileSync(path, 'previous');
    const writer = await JsonlGzWriter.open(path);
    await writer.write({ a: 1 });
    expect(readFileSync(path, 'utf8')).toBe('previous');
    await writer.abort();
    expect(readdirSync(dir)).toEqual(['v.jsonl.gz']);
    await expect(writer.write({})).rejects.toBeInstanceOf(IngestError);
  });

  it('sweeps temporary files left by killed writers', async () => {
    const writer = await JsonlGzWriter.open(join(dir, 'k.jsonl.gz'));
    await writer.write({ a: 1 });
    // A killed process never commits: only its temporary file exists.
    expect(readdirSync(dir)).toHaveLength(1);
    expect(existsSync(join(dir, 'k.jsonl.gz'))).toBe(false);
    expect(await sweepTemporaryOutputs(dir)).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
    await writer.abort();
  });
});
