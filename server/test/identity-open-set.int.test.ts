/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
// The shipped faceres thresholds, end to end on the shared faces: `identity calibrate` on the
// enrol split (photos 1-2 of the five people) must still give the constant the product ships
// (FACERES_THRESHOLDS: a broken embedder or a stale constant fails here), and the open-set
// test runs through the real matcher and vector index with those thresholds: three people
// enrolled from photos 1-2, queried with their photos 3-5 and with the two strangers' photos.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FACERES_THRESHOLDS, GalleryMatcher, HnswVectorIndex, IdentityMetrics, type MatchDecision } from '@trinetra/identity';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { LazyFaceEmbedder } from '../app/identity-face-embedder';
import { runCli } from '../cli/main';

const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny'] as const;
const ENROLLED = ['amy', 'howard', 'penny'] as const;
const STRANGERS = ['bernadette', 'leonard'] as const;
const photoPath = (person: string, n: number) => sharedDataPath(`faces/${person}/${person}${n}.png`);

describeWithInputs(
  PEOPLE.flatMap((p) => [1, 2, 3, 4, 5].map((n) => photoPath(p, n))),
  'the identity open-set test',
)('identity open set on the shared faces (shipped faceres thresholds)', () => {
  const faces = new LazyFaceEmbedder();

  it('`identity calibrate` on the enrol split gives the shipped accept threshold (F0.5)', async () => {
    // A labelled folder of links to photos 1-2 of each person (the shared data is never copied).
    const folder = mkdtempSync(path.join(tmpdir(), 'identity-enrol-split-'));
    try {
      for (const p of PEOPLE) {
        mkdirSync(path.join(folder, p));
        for (const n of [1, 2]) symlinkSync(photoPath(p, n), path.join(folder, p, `${p}${n}.png`));
      }
      let out = '';
      const code = await runCli(['identity', 'calibrate', folder], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) } });
      console.log(`[identity] calibrate on the enrol split:\n${out}`);
      expect(code).toBe(0);
      const last = Object.fromEntries(out.trim().split('\n').at(-1)!.split(' ').map((kv) => kv.split('=') as [string, string]));
      expect(Number(last['genuine_pairs'])).toBe(5);
      expect(Number(last['impostor_pairs'])).toBe(40);
      expect(Number(last['precision'])).toBe(1);
      expect(Math.abs(Number(last['threshold']) - FACERES_THRESHOLDS.accept)).toBeLessThan(0.01);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it('enrolled people are named from their other photos; every stranger stays unknown (reports TAR)', async () => {
    const embed = async (person: string, n: number) => {
      const [r] = await faces.embedFacePhotos([readFileSync(photoPath(person, n))]);
      if (!r?.ok) throw new Error(`${person}${n}: not embeddable`);
      return r.embedding;
    };
    const tenant = randomUUID();
    const index = new HnswVectorIndex();
    const ids = new Map<string, string>();
    for (const p of ENROLLED) {
      ids.set(p, randomUUID());
      await index.upsert(tenant, 'faceres', await Promise.all([1, 2].map(async (n) => ({ id: randomUUID(), personId: ids.get(p)!, vector: await embed(p, n) }))));
    }
    const matcher = new GalleryMatcher(index, { thresholdOffsetOf: async () => ({ thresholdOffset: 0 }) }, new IdentityMetrics());
    const genuine: { person: string; decision: MatchDecision }[] = [];
    for (const p of ENROLLED) for (const n of [3, 4, 5]) genuine.push({ person: p, decision: await matcher.match(tenant, { model: 'faceres', embedding: await embed(p, n) }) });
    const strangers: MatchDecision[] = [];
    for (const p of STRANGERS) for (const n of [1, 2, 3, 4, 5]) strangers.push(await matcher.match(tenant, { model: 'faceres', embedding: await embed(p, n) }));

    const named = genuine.filter((g) => g.decision.kind === 'MATCH' && g.decision.personId === ids.get(g.person)).length;
    console.log(
      `[identity] open set (accept ${FACERES_THRESHOLDS.accept}, review ${FACERES_THRESHOLDS.review}): TAR ${(named / genuine.length).toFixed(2)} (${named}/${genuine.length}); ` +
        `strangers ${strangers.filter((d) => d.kind === 'UNKNOWN').length} unknown, ${strangers.filter((d) => d.kind === 'REVIEW').length} review, ` +
        `${strangers.filter((d) => d.kind === 'MATCH').length} named (similarities ${strangers.map((d) => d.similarity.toFixed(3)).join(' ')})`,
    );
    for (const d of strangers) expect(d.kind).not.toBe('MATCH');
    for (const g of genuine) if (g.decision.kind === 'MATCH') expect(g.decision.personId).toBe(ids.get(g.person));
    expect(named / genuine.length).toBeGreaterThanOrEqual(0.6);
  }, 120_000);
});
