import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Decodes a video into JPEG frames with ffmpeg (real camera-like images, not synthetic ones),
 * kept in memory so uploading costs no decoding during the run. ffmpeg writes an MJPEG stream
 * to stdout, which is split at each JPEG's end marker.
 */
export async function decodeJpegFrames(videoPath: string, width: number, maxFrames: number): Promise<Buffer[]> {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    videoPath,
    '-vf',
    `scale=${width}:-2`,
    '-frames:v',
    String(maxFrames),
    '-q:v',
    '5',
    '-f',
    'image2pipe',
    '-vcodec',
    'mjpeg',
    '-',
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`ffmpeg could not start (install ffmpeg): ${error.message}`)));
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`ffmpeg failed on ${videoPath} (exit ${code}): ${stderr.trim()}`);
  const frames = splitJpegs(Buffer.concat(chunks));
  if (frames.length === 0) throw new Error(`ffmpeg produced no frames from ${videoPath}`);
  return frames;
}

/** Splits concatenated baseline JPEGs (FF D8 ... FF D9) as ffmpeg's mjpeg encoder writes them. */
export function splitJpegs(stream: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = stream.indexOf(Buffer.from([0xff, 0xd8]));
  while (start !== -1) {
    const end = stream.indexOf(Buffer.from([0xff, 0xd9]), start + 2);
    if (end === -1) break;
    frames.push(stream.subarray(start, end + 2));
    start = stream.indexOf(Buffer.from([0xff, 0xd8]), end + 2);
  }
  return frames;
}

/**
 * The JPEG files of a directory (`*.jpg`, `*.jpeg`), in name order, as they are: for frames
 * prepared elsewhere, e.g. simulator frames carrying their ground truth for a run against the
 * `simulated` inference backend (which answers only such frames).
 */
export function readJpegFrames(dir: string, maxFrames: number): Buffer[] {
  const names = readdirSync(dir)
    .filter((n) => /\.jpe?g$/i.test(n))
    .sort()
    .slice(0, maxFrames);
  const frames = names.map((n) => readFileSync(path.join(dir, n)));
  const notJpeg = names.find((_, i) => !(frames[i]![0] === 0xff && frames[i]![1] === 0xd8));
  if (notJpeg) throw new Error(`${path.join(dir, notJpeg)} is not a JPEG (no FF D8 at its start)`);
  if (frames.length === 0) throw new Error(`no .jpg files in ${dir}`);
  return frames;
}
