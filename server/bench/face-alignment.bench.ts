/**
 * npm run bench:face-alignment — where enrolment photos' eyes should sit in the aligned face crop.
 *
 * Enrolment finds a photo's face with BlazeFace and aligns the crop by BlazeFace's eye points
 * with a template (eye-midpoint height, eye distance, as fractions of the crop side). This
 * sweeps that template on the shared faces (5 people x 5 photos) through the product's own
 * path (BlazeFace, gpu-worker/preprocess/face-alignment.ts, FaceRes ONNX) and reports how well
 * genuine pairs separate from impostor pairs. The template is never chosen on the pairs it is
 * reported on:
 *
 * - leave one person out: for each person, the template with the best separation (d', see
 *   {@link separation}) on the other four people's pairs is scored on the held-out person's
 *   pairs (their 10 genuine pairs, their 100 pairs with the others); the held-out scores of the
 *   five folds are pooled. The shipped template is scored on the same pairs.
 * - the product's open-set split (as `bench:identity` and server/test/identity-open-set.int.test.ts):
 *   the template is chosen on photos 1-2 of all five people (the split `identity calibrate`
 *   sets the threshold on), the F0.5 threshold calibrated there, amy, howard and penny enrolled
 *   from photos 1-2 and queried with photos 3-5; bernadette and leonard are the strangers.
 *
 * Lives in server/ because it joins the worker's models and identity's metrics (module
 * boundaries). Figures only. Prints per-template lines, then one line of name=value pairs.
 * Env: FACE_BENCH_GRID="y1,y2,...;d1,d2,..." replaces the default grid.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import {
  type DetectedFace,
  FACE_DESCRIPTOR_SIDE,
  FACE_TEMPLATE,
  type FaceTemplate,
  type FrameRaster,
  alignDetectedFace,
  createInferenceBackend,
  decodeFrame,
  faceAlignment,
  loadFaceDescriptorEmbedder,
  loadFaceDetector,
  sampleAlignedFaceInto,
} from '@trinetra/gpu-worker';
import { type GalleryEntry, type LabelledEmbedding, fBetaThreshold, matchFace, pairScores, rocAuc, trueAcceptAtZeroFalseAccept } from '@trinetra/identity';
import { sharedDataPath } from '@trinetra/shared/testing';
import { LazyFaceEmbedder } from '../app/identity-face-embedder';

const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny'] as const;
const PHOTOS = [1, 2, 3, 4, 5] as const;
const ENROLLED = ['amy', 'howard', 'penny'];
const STRANGERS = ['bernadette', 'leonard'];

interface Photo {
  person: string;
  n: number;
  frame: FrameRaster;
  alignment: NonNullable<ReturnType<typeof alignDetectedFace>>;
}

/** One embedding per photo (PEOPLE x PHOTOS order) for one template. */
interface Trial {
  template: FaceTemplate;
  vectors: Map<string, number[]>;
}

interface Scores {
  genuine: number[];
  impostor: number[];
}

const key = (person: string, n: number) => `${person}${n}`;
const f3 = (x: number) => x.toFixed(3);
const fmt = (t: FaceTemplate) => `y${t.eyeCentreY.toFixed(3)}/d${t.eyeDistance.toFixed(3)}`;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // both unit vectors (FaceDescriptorEmbedder normalises)
}

/** d': the gap between the genuine and impostor means in pooled standard deviations (continuous; AUC saturates at 1 on 25 photos). */
function separation(s: Scores): number {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = (xs: number[], m: number) => xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1);
  const mg = mean(s.genuine);
  const mi = mean(s.impostor);
  return (mg - mi) / Math.sqrt((variance(s.genuine, mg) + variance(s.impostor, mi)) / 2);
}

function sorted(s: Scores): Scores {
  return { genuine: [...s.genuine].sort((a, b) => a - b), impostor: [...s.impostor].sort((a, b) => a - b) };
}

/** Pair scores among the photos `include` accepts, or only pairs that `pairFilter` accepts. */
function scoresOf(trial: Trial, include: (person: string, n: number) => boolean, pairFilter: (a: string, b: string) => boolean = () => true): Scores {
  const samples: (LabelledEmbedding & { person: string })[] = [];
  for (const p of PEOPLE) for (const n of PHOTOS) if (include(p, n)) samples.push({ label: p, person: p, embedding: trial.vectors.get(key(p, n))! });
  const out: Scores = { genuine: [], impostor: [] };
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      if (!pairFilter(a.person, b.person)) continue;
      (a.label === b.label ? out.genuine : out.impostor).push(cosine(a.embedding, b.embedding));
    }
  }
  return sorted(out);
}

function summary(s: Scores): string {
  const tar = trueAcceptAtZeroFalseAccept(s);
  return `AUC ${f3(rocAuc(s))}, TAR@FAR0 ${f3(tar.trueAcceptRate)}, d' ${separation(s).toFixed(2)} (${s.genuine.length} genuine, ${s.impostor.length} impostor)`;
}

function best(trials: readonly Trial[], score: (t: Trial) => number): Trial {
  // Ties go to the first (the grid lists the shipped template first).
  return trials.reduce((a, b) => (score(b) > score(a) ? b : a));
}

/** The product's open-set protocol with one template: threshold by F0.5 on photos 1-2, queries 3-5 and the strangers. */
function openSet(trial: Trial): { threshold: number; named: number; queries: number; falseAccepts: number; strangers: number; maxStranger: number } {
  const calibration = pairScores(PEOPLE.flatMap((p) => [1, 2].map((n) => ({ label: p, embedding: trial.vectors.get(key(p, n))! }))));
  const threshold = fBetaThreshold(calibration, 0.5).threshold;
  const thresholds = { accept: threshold, review: threshold - 0.1 };
  const gallery: GalleryEntry[] = ENROLLED.map((personId) => ({ personId, embeddings: [1, 2].map((n) => trial.vectors.get(key(personId, n))!) }));
  let named = 0;
  let falseAccepts = 0;
  let maxStranger = -1;
  for (const p of ENROLLED) {
    for (const n of [3, 4, 5]) {
      const d = matchFace(trial.vectors.get(key(p, n))!, gallery, thresholds);
      if (d.kind === 'MATCH' && d.personId === p) named++;
      else if (d.kind === 'MATCH') falseAccepts++;
    }
  }
  for (const p of STRANGERS) {
    for (const n of PHOTOS) {
      const d = matchFace(trial.vectors.get(key(p, n))!, gallery, thresholds);
      maxStranger = Math.max(maxStranger, d.similarity);
      if (d.kind === 'MATCH') falseAccepts++;
    }
  }
  return { threshold, named, queries: ENROLLED.length * 3, falseAccepts, strangers: STRANGERS.length * PHOTOS.length, maxStranger };
}

function grid(): FaceTemplate[] {
  const spec = process.env['FACE_BENCH_GRID'];
  const [ys, ds] = spec
    ? spec.split(';').map((part) => part.split(',').map(Number))
    : [
        [0.25, 0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.425, 0.45],
        [0.3, 0.33, 0.36, 0.39, 0.42, 0.45, 0.48],
      ];
  if (!ys?.length || !ds?.length || [...ys, ...ds].some((x) => !(x > 0 && x < 1))) throw new Error('FACE_BENCH_GRID: "y1,y2;d1,d2", fractions in (0, 1)');
  const all = ys.flatMap((eyeCentreY) => ds.map((eyeDistance) => ({ eyeCentreY, eyeDistance })));
  const shipped = { eyeCentreY: FACE_TEMPLATE.eyeCentreY, eyeDistance: FACE_TEMPLATE.eyeDistance };
  return [shipped, ...all.filter((t) => Math.abs(t.eyeCentreY - shipped.eyeCentreY) > 1e-9 || Math.abs(t.eyeDistance - shipped.eyeDistance) > 1e-9)];
}

/** A live-path sighting of a shared photo: MultiPose's eyes (in photo pixels) and the worker's crop embedded. */
interface LiveSighting {
  person: string;
  n: number;
  /** Eye midpoint and distance in the photo's pixels, from MultiPose's eye keypoints. */
  eyes: { x: number; y: number; distance: number };
  vector: number[];
}

// As server/test/live-identity.int.test.ts composes its frames: the walker of pose_1.mp4 (a
// 300 px crop scaled 2x) with the face photo pasted over the head at 120 px, by the clip's eyes.
const CLIP_CROP = { left: 140, top: 150, width: 300, height: 300 };
const CLIP_SCALE = 2;
const PASTED = 120;
const CLIP_FRAMES = [0, 30, 60, 90];

/**
 * The live path on the shared photos: each photo pasted into frames of the clip, MultiPose on
 * the frame (as the worker runs it for CLOSE_UP), the worker's eye alignment with the live
 * template, FaceRes. Undefined when the clip or ffmpeg is missing.
 */
async function liveSightings(photos: readonly Photo[], embed: (crops: Uint8Array[]) => Promise<number[][]>): Promise<LiveSighting[] | undefined> {
  const clip = sharedDataPath('video/tfjs-models/pose_1.mp4');
  const clipKeypoints = sharedDataPath('video/tfjs-models/pose_1.json');
  const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p));
  if (!ffmpeg || !existsSync(clip) || !existsSync(clipKeypoints)) {
    console.log(`live path: skipped (${!ffmpeg ? 'no ffmpeg' : `missing ${clip} or its keypoints`})`);
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-face-alignment-'));
  const backend = await createInferenceBackend({ preferCuda: false, intraOpThreads: 1 });
  try {
    execFileSync(ffmpeg, ['-loglevel', 'error', '-i', clip, path.join(dir, '%03d.png')]);
    const keypoints = JSON.parse(readFileSync(clipKeypoints, 'utf8')) as Record<'left_eye' | 'right_eye', { x: number; y: number }>[];
    const out: LiveSighting[] = [];
    const crops: Uint8Array[] = [];
    for (const photo of photos) {
      const bytes = readFileSync(sharedDataPath(`faces/${photo.person}/${photo.person}${photo.n}.png`));
      const pasted = await sharp(bytes).resize(PASTED, PASTED).removeAlpha().toBuffer();
      const perPixel = photo.frame.width / PASTED;
      for (const i of CLIP_FRAMES) {
        const k = keypoints[i]!;
        const left = Math.round(((k.left_eye.x + k.right_eye.x) / 2 - CLIP_CROP.left) * CLIP_SCALE - PASTED / 2);
        const top = Math.round(((k.left_eye.y + k.right_eye.y) / 2 - CLIP_CROP.top) * CLIP_SCALE - 0.4 * PASTED);
        const jpeg = await sharp(path.join(dir, `${String(i + 1).padStart(3, '0')}.png`))
          .extract(CLIP_CROP)
          .resize(CLIP_CROP.width * CLIP_SCALE, CLIP_CROP.height * CLIP_SCALE)
          .composite([{ input: pasted, left, top }])
          .jpeg({ quality: 90 })
          .toBuffer();
        const [result] = await backend.infer([{ frameId: `${photo.person}${photo.n}-${i}`, cameraId: 'bench', seq: i, image: jpeg, perception: 'CLOSE_UP' }]);
        if (!result?.ok) continue;
        // The person whose eyes fall inside the pasted photo; the worker's own alignment (score >= 0.3, >= 8 px apart).
        const seen = result.persons
          .map((p) => faceAlignment(p.keypoints))
          .filter(
            (a): a is NonNullable<typeof a> =>
              !!a && a.eyeCentre.x > left && a.eyeCentre.x < left + PASTED && a.eyeCentre.y > top && a.eyeCentre.y < top + PASTED,
          );
        const alignment = seen[0];
        if (!alignment) continue;
        const raster = await decodeFrame(jpeg);
        const crop = new Uint8Array(FACE_DESCRIPTOR_SIDE * FACE_DESCRIPTOR_SIDE * 3);
        sampleAlignedFaceInto(raster, alignment, FACE_DESCRIPTOR_SIDE, crop, 0);
        crops.push(crop);
        out.push({
          person: photo.person,
          n: photo.n,
          eyes: { x: (alignment.eyeCentre.x - left) * perPixel, y: (alignment.eyeCentre.y - top) * perPixel, distance: alignment.eyeDistance * perPixel },
          vector: [],
        });
      }
    }
    const vectors = await embed(crops);
    out.forEach((s, i) => (s.vector = vectors[i]!));
    return out;
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The BlazeFace template that crops a photo as the live template crops it from MultiPose's eyes:
 * same scale (template distance x BlazeFace/MultiPose eye distance) and the midpoint moved by
 * the mean vertical offset between the two models' eye midpoints. Derived from eye positions
 * only, never from who is who, so every identity figure it gets is held out.
 */
function matchedTemplate(photos: readonly Photo[], live: readonly LiveSighting[]): { template: FaceTemplate; ratio: number; offset: number } {
  const byKey = new Map(photos.map((p) => [key(p.person, p.n), p]));
  const ratios: number[] = [];
  const offsets: number[] = [];
  for (const s of live) {
    const b = byKey.get(key(s.person, s.n))!.alignment;
    ratios.push(b.eyeDistance / s.eyes.distance);
    offsets.push((b.eyeCentre.y - s.eyes.y) / s.eyes.distance);
  }
  const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
  const ratio = mean(ratios);
  const offset = mean(offsets);
  // Crop row v shows photo row  M + (v - y T) D / (d T): equal for both models when d_b = d_live * ratio and y_b = y_live + d_live * offset.
  const template = { eyeCentreY: FACE_TEMPLATE.eyeCentreY + FACE_TEMPLATE.eyeDistance * offset, eyeDistance: FACE_TEMPLATE.eyeDistance * ratio };
  return { template, ratio, offset };
}

/** Live sightings against enrolment vectors of other photos (and, apart, of the same photo). */
function crossPath(trial: Trial, live: readonly LiveSighting[]): { scores: Scores; samePhoto: number } {
  const out: Scores = { genuine: [], impostor: [] };
  const same: number[] = [];
  for (const s of live) {
    for (const p of PEOPLE) {
      for (const n of PHOTOS) {
        const sim = cosine(s.vector, trial.vectors.get(key(p, n))!);
        if (p === s.person && n === s.n) same.push(sim);
        else (p === s.person ? out.genuine : out.impostor).push(sim);
      }
    }
  }
  return { scores: sorted(out), samePhoto: same.reduce((a, b) => a + b, 0) / same.length };
}

/**
 * Paired bootstrap over photos (each person's five photos drawn with replacement, 2000 times,
 * seeded): how often template `a` separates better than `b` on the same draws, and the 90%
 * interval of the d' and TAR@FAR0 differences. A pair of a photo with itself is skipped.
 */
function pairedBootstrap(
  a: Trial,
  b: Trial,
  live?: readonly LiveSighting[],
  rounds = 2000,
): { dprimeWins: number; dprime: [number, number]; tar: [number, number]; tarWins: number } {
  const ids = PEOPLE.flatMap((p) => PHOTOS.map((n) => key(p, n)));
  // Rows: the photos themselves, or (cross-path) each photo's live sightings; columns: enrolment vectors of the photos.
  const rows = live ? live.map((s) => ({ photo: ids.indexOf(key(s.person, s.n)), vector: s.vector })) : undefined;
  const matrix = (t: Trial) =>
    rows ? rows.map((r) => ids.map((y) => cosine(r.vector, t.vectors.get(y)!))) : ids.map((x) => ids.map((y) => cosine(t.vectors.get(x)!, t.vectors.get(y)!)));
  const [ma, mb] = [matrix(a), matrix(b)];
  let seed = 20261129;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const dDiffs: number[] = [];
  const tDiffs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const draw = PEOPLE.flatMap((_p, pi) => PHOTOS.map(() => pi * PHOTOS.length + Math.floor(random() * PHOTOS.length)));
    const scores = (m: number[][]): Scores => {
      const out: Scores = { genuine: [], impostor: [] };
      if (rows) {
        for (const x of draw) {
          rows.forEach((r, ri) => {
            if (r.photo !== x) return;
            for (const y of draw) {
              if (y === x) continue;
              (Math.floor(x / PHOTOS.length) === Math.floor(y / PHOTOS.length) ? out.genuine : out.impostor).push(m[ri]![y]!);
            }
          });
        }
        return sorted(out);
      }
      for (let i = 0; i < draw.length; i++) {
        for (let j = i + 1; j < draw.length; j++) {
          const [x, y] = [draw[i]!, draw[j]!];
          if (x === y) continue;
          (Math.floor(x / PHOTOS.length) === Math.floor(y / PHOTOS.length) ? out.genuine : out.impostor).push(m[x]![y]!);
        }
      }
      return sorted(out);
    };
    const [sa, sb] = [scores(ma), scores(mb)];
    dDiffs.push(separation(sa) - separation(sb));
    tDiffs.push(trueAcceptAtZeroFalseAccept(sa).trueAcceptRate - trueAcceptAtZeroFalseAccept(sb).trueAcceptRate);
  }
  const interval = (xs: number[]): [number, number] => {
    const s = [...xs].sort((x, y) => x - y);
    return [s[Math.floor(0.05 * s.length)]!, s[Math.floor(0.95 * s.length)]!];
  };
  return {
    dprimeWins: dDiffs.filter((d) => d > 0).length / rounds,
    dprime: interval(dDiffs),
    tarWins: tDiffs.filter((d) => d > 0).length / rounds,
    tar: interval(tDiffs),
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const detector = await loadFaceDetector();
  const embedder = await loadFaceDescriptorEmbedder();
  const photos: Photo[] = [];
  for (const person of PEOPLE) {
    for (const n of PHOTOS) {
      const bytes = readFileSync(sharedDataPath(`faces/${person}/${person}${n}.png`));
      const frame = await decodeFrame(bytes);
      const faces = await detector.detect(frame);
      // The product takes the largest face (server/app/identity-face-embedder.ts); each shared photo has one.
      const face = faces.reduce<DetectedFace | undefined>((a, b) => (!a || b.box.width * b.box.height > a.box.width * a.box.height ? b : a), undefined);
      const alignment = face && alignDetectedFace(face, 0);
      if (!alignment) throw new Error(`${person}${n}: no face with eyes found`);
      photos.push({ person, n, frame, alignment });
    }
  }
  const rel = photos.map((p) => ({
    y: p.alignment.eyeCentre.y / p.frame.height,
    d: p.alignment.eyeDistance / p.frame.width,
    x: p.alignment.eyeCentre.x / p.frame.width,
  }));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `BlazeFace eyes in the ${photos.length} photos (fractions of the photo): midpoint y mean ${f3(avg(rel.map((r) => r.y)))} ` +
      `[${f3(Math.min(...rel.map((r) => r.y)))}, ${f3(Math.max(...rel.map((r) => r.y)))}], x mean ${f3(avg(rel.map((r) => r.x)))}, ` +
      `distance mean ${f3(avg(rel.map((r) => r.d)))} [${f3(Math.min(...rel.map((r) => r.d)))}, ${f3(Math.max(...rel.map((r) => r.d)))}]`,
  );

  const photoOf = (s: { person: string; n: number }) => photos.find((p) => p.person === s.person && p.n === s.n)!;
  const live = await liveSightings(photos, (crops) => embedder.embed(crops));
  const matched = live && live.length > 0 ? matchedTemplate(photos, live) : undefined;
  if (live && matched) {
    const photosSeen = new Set(live.map((s) => key(s.person, s.n))).size;
    console.log(
      `MultiPose eyes (live path) in ${live.length} of ${photos.length * CLIP_FRAMES.length} composed frames (${photosSeen} photos): midpoint y mean ` +
        `${f3(avg(live.map((s) => s.eyes.y / photoOf(s).frame.height)))}, distance mean ${f3(avg(live.map((s) => s.eyes.distance / photoOf(s).frame.width)))} of the photo; ` +
        `BlazeFace/MultiPose eye distance ${f3(matched.ratio)}, midpoint offset ${f3(matched.offset)} eye distances; matched BlazeFace template ${fmt(matched.template)}`,
    );
  }

  const side = FACE_DESCRIPTOR_SIDE;
  const trials: Trial[] = [];
  const templates = grid();
  if (matched) templates.splice(1, 0, matched.template);
  for (const template of templates) {
    const crops = photos.map((p) => {
      const crop = new Uint8Array(side * side * 3);
      sampleAlignedFaceInto(p.frame, p.alignment, side, crop, 0, template);
      return crop;
    });
    const embedded = await embedder.embed(crops);
    trials.push({ template, vectors: new Map(photos.map((p, i) => [key(p.person, p.n), embedded[i]!])) });
  }

  // The sweep's path is the product's: with the template the product uses, the vectors equal the server embedder's.
  const product = new LazyFaceEmbedder();
  const check = await product.embedFacePhotos([readFileSync(sharedDataPath('faces/amy/amy3.png'))]);
  const shippedTrial = trials[0]!;
  const productSimilarity = check[0]?.ok ? cosine(check[0].embedding, shippedTrial.vectors.get('amy3')!) : Number.NaN;

  console.log(`\nall 25 photos (in-sample, for orientation only; 50 genuine / 250 impostor pairs):`);
  for (const t of trials) console.log(`  ${fmt(t.template)}${t === shippedTrial ? ' (shipped)' : ''}: ${summary(scoresOf(t, () => true))}`);

  // The matched template is derived from eye positions alone: all its figures are held out.
  const matchedTrial = matched ? trials[1] : undefined;
  if (live && matchedTrial) {
    console.log(`\nlive sightings (MultiPose eyes, live template) against enrolment vectors of the other photos (${live.length} sightings):`);
    for (const [name, t] of [
      ['shipped', shippedTrial],
      ['matched', matchedTrial],
    ] as const) {
      const c = crossPath(t, live);
      console.log(`  enrolment ${name} ${fmt(t.template)}: ${summary(c.scores)}; same photo mean ${f3(c.samePhoto)}`);
    }
  }

  if (matchedTrial) {
    const report = (name: string, b: ReturnType<typeof pairedBootstrap>) =>
      console.log(
        `  ${name}: d' better in ${(100 * b.dprimeWins).toFixed(0)}% (difference 90% interval ` +
          `${b.dprime.map((x) => x.toFixed(2)).join(' to ')}), TAR@FAR0 better in ${(100 * b.tarWins).toFixed(0)}% (${b.tar.map(f3).join(' to ')})`,
      );
    console.log(`\nmatched vs shipped enrolment template, paired bootstrap over photos (2000 draws, each person's photos drawn with replacement):`);
    report('photo vs photo', pairedBootstrap(matchedTrial, shippedTrial));
    if (live) report('live sighting vs enrolled photo', pairedBootstrap(matchedTrial, shippedTrial, live));
  }

  // Leave one person out.
  const pooledChosen: Scores = { genuine: [], impostor: [] };
  const pooledShipped: Scores = { genuine: [], impostor: [] };
  const chosenPerFold: string[] = [];
  for (const out of PEOPLE) {
    const chosen = best(trials, (t) => separation(scoresOf(t, (p) => p !== out)));
    chosenPerFold.push(`${out}: ${fmt(chosen.template)}`);
    const heldOut = (t: Trial) =>
      scoresOf(
        t,
        () => true,
        (a, b) => a === out || b === out,
      );
    const c = heldOut(chosen);
    const s = heldOut(shippedTrial);
    pooledChosen.genuine.push(...c.genuine);
    pooledChosen.impostor.push(...c.impostor);
    pooledShipped.genuine.push(...s.genuine);
    pooledShipped.impostor.push(...s.impostor);
  }
  const lopoChosen = sorted(pooledChosen);
  const lopoShipped = sorted(pooledShipped);
  console.log(`\nleave one person out (template chosen by d' on the other four people; held-out pairs pooled):`);
  console.log(`  chosen per fold: ${chosenPerFold.join(', ')}`);
  console.log(`  chosen templates: ${summary(lopoChosen)}`);
  console.log(`  shipped template: ${summary(lopoShipped)}`);

  // The product's open-set split.
  const enrolSplit = (p: string, n: number) => n <= 2 && PEOPLE.includes(p as (typeof PEOPLE)[number]);
  const splitChosen = best(trials, (t) => separation(scoresOf(t, enrolSplit)));
  const heldOutPairs = (t: Trial) => scoresOf(t, (_p, n) => n >= 3);
  console.log(`\nopen-set split (template chosen by d' on photos 1-2 of all five; reported on photos 3-5 and the open-set queries):`);
  const rows: [string, Trial][] = [
    ['chosen', splitChosen],
    ['shipped', shippedTrial],
    ...(matchedTrial ? [['matched (not tuned)', matchedTrial] as [string, Trial]] : []),
  ];
  const openSets = new Map<Trial, ReturnType<typeof openSet>>();
  for (const [name, t] of rows) {
    const o = openSet(t);
    openSets.set(t, o);
    console.log(
      `  ${name} ${fmt(t.template)}: selection d' ${separation(scoresOf(t, enrolSplit)).toFixed(2)}; photos 3-5 pairs ${summary(heldOutPairs(t))}; ` +
        `open set: threshold ${f3(o.threshold)}, named ${o.named}/${o.queries}, false accepts ${o.falseAccepts} (max stranger ${f3(o.maxStranger)})`,
    );
  }

  // Orientation only (this would be choosing on the reported queries): how the open-set count varies over the whole grid.
  const counts = new Map<string, number>();
  for (const t of trials) {
    const o = openSet(t);
    const k = `${o.named}/${o.queries}${o.falseAccepts ? ` +${o.falseAccepts} false` : ''}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  console.log(`  open set over all ${trials.length} templates (in-sample, not a selection): ${[...counts].map(([k, n]) => `${k} in ${n}`).join(', ')}`);

  const chosenOpen = openSets.get(splitChosen)!;
  const shippedOpen = openSets.get(shippedTrial)!;
  const chosenLopoTar = trueAcceptAtZeroFalseAccept(lopoChosen).trueAcceptRate;
  const shippedLopoTar = trueAcceptAtZeroFalseAccept(lopoShipped).trueAcceptRate;
  console.log(
    `\n${trials.length} templates x ${photos.length} photos in ${((performance.now() - t0) / 1000).toFixed(0)} s; product check: sweep vs server embedder cosine ${productSimilarity.toFixed(4)}`,
  );
  console.log(
    [
      `load1=${os.loadavg()[0]!.toFixed(2)}`,
      `templates=${trials.length}`,
      `product_check_cosine=${productSimilarity.toFixed(4)}`,
      `lopo_auc_chosen=${f3(rocAuc(lopoChosen))}`,
      `lopo_auc_shipped=${f3(rocAuc(lopoShipped))}`,
      `lopo_tar_far0_chosen=${f3(chosenLopoTar)}`,
      `lopo_tar_far0_shipped=${f3(shippedLopoTar)}`,
      `lopo_dprime_chosen=${separation(lopoChosen).toFixed(2)}`,
      `lopo_dprime_shipped=${separation(lopoShipped).toFixed(2)}`,
      `split_template=${fmt(splitChosen.template)}`,
      `split_threshold=${f3(chosenOpen.threshold)}`,
      `split_true_accept=${f3(chosenOpen.named / chosenOpen.queries)}`,
      `split_false_accept=${chosenOpen.falseAccepts}`,
      `shipped_threshold=${f3(shippedOpen.threshold)}`,
      `shipped_true_accept=${f3(shippedOpen.named / shippedOpen.queries)}`,
      `shipped_false_accept=${shippedOpen.falseAccepts}`,
    ].join(' '),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
