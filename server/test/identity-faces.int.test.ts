/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
// The identity embedder and open-set matcher measured on the shared faces (five people, five
// photos each; see README, "Tests"). A broken embedder (wrong model, wrong input scale, a
// converter change) fails here: the verification bounds sit well under today's measurement.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { type FaceDescriptorEmbedder, faceDescriptorInput, loadFaceDescriptorEmbedder } from '@trinetra/gpu-worker';
import {
  type GalleryEntry,
  type LabelledEmbedding,
  calibrateThresholds,
  matchFace,
  median,
  pairScores,
  rocAuc,
  rocCurve,
  trueAcceptAtZeroFalseAccept,
} from '@trinetra/identity';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';

const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny'] as const;
const PHOTOS = [1, 2, 3, 4, 5] as const;
const photoPath = (person: string, n: number) => sharedDataPath(`faces/${person}/${person}${n}.png`);

/** Embeddings by person, photo 1..5 at index 0..4. */
const faces = new Map<string, number[][]>();
let embedder: FaceDescriptorEmbedder;

describeWithInputs(
  PEOPLE.flatMap((p) => PHOTOS.map((n) => photoPath(p, n))),
  'the identity face tests',
)('identity on the shared faces (faceres, centre crop, raw 0-255)', () => {
  beforeAll(async () => {
    embedder = await loadFaceDescriptorEmbedder();
    for (const person of PEOPLE) {
      const crops = await Promise.all(PHOTOS.map((n) => faceDescriptorInput(readFileSync(photoPath(person, n)))));
      faces.set(person, await embedder.embed(crops));
    }
  }, 120_000);

  const of = (person: string, n: number): number[] => faces.get(person)?.[n - 1] ?? [];

  it('verification: genuine pairs score clearly above impostor pairs (ROC over all 25 photos)', () => {
    const samples: LabelledEmbedding[] = PEOPLE.flatMap((label) => PHOTOS.map((n) => ({ label, embedding: of(label, n) })));
    const scores = pairScores(samples);
    const auc = rocAuc(scores);
    const atZero = trueAcceptAtZeroFalseAccept(scores);
    const roc = rocCurve(scores).filter((_, i, all) => i % Math.ceil(all.length / 8) === 0);
    console.log(
      `[identity] verification on 50 genuine / 250 impostor pairs: genuine median ${median(scores.genuine).toFixed(3)} (min ${scores.genuine[0]?.toFixed(3)}), ` +
        `impostor median ${median(scores.impostor).toFixed(3)} (max ${scores.impostor.at(-1)?.toFixed(3)}), AUC ${auc.toFixed(3)}, ` +
        `TAR ${atZero.trueAcceptRate.toFixed(2)} at FAR 0 (threshold > ${atZero.threshold.toFixed(3)}); ROC (t, TAR, FAR): ` +
        roc.map((p) => `(${p.threshold.toFixed(2)}, ${p.trueAcceptRate.toFixed(2)}, ${p.falseAcceptRate.toFixed(3)})`).join(' '),
    );
    expect(scores.genuine).toHaveLength(50);
    expect(scores.impostor).toHaveLength(250);
    // Measured: AUC 0.991, TAR 0.84 at FAR 0, medians 0.69 vs 0.40. MobileFaceNet as
    // prepared measures AUC 0.58, TAR 0.02; faceres fed 0-1 input, AUC 0.48.
    expect(auc).toBeGreaterThan(0.95);
    expect(atZero.trueAcceptRate).toBeGreaterThan(0.6);
    expect(median(scores.genuine) - median(scores.impostor)).toBeGreaterThan(0.2);
  });

  // Enrolled: amy, howard, penny from photos 1 and 2. Strangers: bernadette, leonard.
  // Calibration split: photos 1 and 2 of all five people; the accept threshold sits 0.02 above
  // their most similar different-person pair (40 impostor pairs). A first design calibrated on
  // the strangers' photos 1-2 against the gallery only (4 scores, threshold 0.488) named one
  // stranger photo (0.497): too few scores to find the impostor tail. Reported split, never
  // used to tune: the enrolled people's photos 3, 4, 5 and the strangers' photos 3, 4, 5.
  it('open set: enrolled people are named, strangers stay unknown (threshold from a separate split)', () => {
    const enrolled = ['amy', 'howard', 'penny'];
    const strangers = ['bernadette', 'leonard'];
    const gallery: GalleryEntry[] = enrolled.map((personId) => ({ personId, embeddings: [of(personId, 1), of(personId, 2)] }));
    const calibration = pairScores(PEOPLE.flatMap((label) => [1, 2].map((n) => ({ label, embedding: of(label, n) }))));
    const thresholds = calibrateThresholds(calibration.impostor, { margin: 0.02, reviewBand: 0.1 });

    const genuine = enrolled.flatMap((p) => [3, 4, 5].map((n) => ({ person: p, decision: matchFace(of(p, n), gallery, thresholds) })));
    const impostors = strangers.flatMap((p) => [3, 4, 5].map((n) => matchFace(of(p, n), gallery, thresholds)));
    const named = genuine.filter((g) => g.decision.kind === 'MATCH' && g.decision.personId === g.person).length;
    console.log(
      `[identity] open set: accept >= ${thresholds.accept.toFixed(3)}, review >= ${thresholds.review.toFixed(3)}; ` +
        `enrolled queries named correctly ${named}/${genuine.length} (TAR ${(named / genuine.length).toFixed(2)}), ` +
        `wrongly named ${genuine.filter((g) => g.decision.kind === 'MATCH' && g.decision.personId !== g.person).length}, ` +
        `stranger queries: ${impostors.filter((d) => d.kind === 'UNKNOWN').length} unknown, ${impostors.filter((d) => d.kind === 'REVIEW').length} review, ` +
        `${impostors.filter((d) => d.kind === 'MATCH').length} named; stranger similarities ${impostors.map((d) => d.similarity.toFixed(3)).join(' ')}`,
    );
    for (const d of impostors) expect(d.kind).not.toBe('MATCH');
    for (const g of genuine) if (g.decision.kind === 'MATCH') expect(g.decision.personId).toBe(g.person);
    expect(named / genuine.length).toBeGreaterThanOrEqual(0.5);
  });
});
