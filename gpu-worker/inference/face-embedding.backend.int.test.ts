/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import { itWithInputs } from '@trinetra/shared/testing';
import { createInferenceBackend } from './create-inference-backend';
import { FaceEmbeddingBackend, type FaceEmbedder } from './face-embedding.backend';
import { type FaceDescriptorEmbedder, faceDescriptorInput, loadFaceDescriptorEmbedder } from './face-descriptor.embedder';
import type { FrameInferenceResult, FrameInput, InferenceBackend } from './inference-backend';
import { facePhoto, facePhotoPath, faceFrame } from './testing/face-frames';

// Real models end to end: MoveNet MultiPose (CLOSE_UP) finds the face's keypoints, the face
// stage aligns by the eyes and embeds with FaceRes. The frames are composed from the shared
// face photos (no shared clip shows a face large enough to embed; see testing/face-frames.ts).
const photos = [facePhotoPath('howard', 1), facePhotoPath('penny', 1)];

const cosine = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const okPersons = (r: FrameInferenceResult | undefined) => {
  if (!r?.ok) throw new Error(`expected an ok result, got ${JSON.stringify(r)}`);
  return r.persons;
};

let pose: InferenceBackend;
let faceres: FaceDescriptorEmbedder;
let embedCalls = 0;
let backend: FaceEmbeddingBackend;
beforeAll(async () => {
  pose = await createInferenceBackend({ embedding: false, preferCuda: false, intraOpThreads: 1 });
  faceres = await loadFaceDescriptorEmbedder();
  const counting: FaceEmbedder = {
    embed: (crops) => {
      embedCalls += 1;
      return faceres.embed(crops);
    },
  };
  backend = new FaceEmbeddingBackend(pose, { loadEmbedder: async () => counting });
}, 180_000);
afterAll(() => backend?.close());

const frame = (id: string, image: Buffer, wantEmbeddings: boolean, perception: FrameInput['perception'] = 'CLOSE_UP'): FrameInput => ({
  frameId: id,
  cameraId: 'cam',
  seq: 0,
  image,
  perception,
  wantEmbeddings,
});

describe('FaceEmbeddingBackend (MultiPose keypoints, eye-aligned FaceRes)', () => {
  itWithInputs(photos, 'face embedding worker test')(
    'embeds faces only on frames sent with identity on, all faces of a batch in one embedder run',
    async () => {
      const howard = await faceFrame(facePhoto('howard', 1));
      const penny = await faceFrame(facePhoto('penny', 1));
      embedCalls = 0;
      const results = await backend.infer([frame('on-h', howard, true), frame('off-h', howard, false), frame('on-p', penny, true), frame('off-p', penny, false)]);
      expect(embedCalls).toBe(1);
      for (const i of [0, 2]) {
        const persons = okPersons(results[i]);
        const withFace = persons.filter((p) => p.embedding);
        expect(withFace).toHaveLength(1);
        expect(withFace[0]!.embedding).toHaveLength(1024);
        expect(Math.hypot(...withFace[0]!.embedding!)).toBeCloseTo(1, 4);
      }
      for (const i of [1, 3]) {
        expect(okPersons(results[i]).length).toBeGreaterThan(0);
        expect(okPersons(results[i]).every((p) => p.embedding === undefined)).toBe(true);
      }
      // The vector is a number array: no image travels with the result.
      expect(JSON.stringify(results[0]).length).toBeLessThan(40_000);
    },
    120_000,
  );

  itWithInputs(photos, 'face embedding worker test')(
    'the same person moving across frames embeds alike; another person does not; both resemble their enrolment photo',
    async () => {
      const moves = [0, 1, 2, 3, 4].map((k) => ({ left: 130 + 15 * k, top: 80 + 4 * k }));
      const frames = await Promise.all(moves.map(async (m, k) => frame(`p${k}`, await faceFrame(facePhoto('penny', 1), m), true)));
      const found = (await backend.infer(frames)).map((r) => okPersons(r).find((p) => p.embedding)?.embedding);
      // The pose model may miss the eyes on a frame (a real camera would too); most frames must have the face.
      const vectors = found.filter((v): v is number[] => v !== undefined);
      expect(vectors.length).toBeGreaterThanOrEqual(4);
      const same: number[] = [];
      for (let a = 0; a < vectors.length; a++) for (let b = a + 1; b < vectors.length; b++) same.push(cosine(vectors[a]!, vectors[b]!));
      const [howard] = await backend.infer([frame('h', await faceFrame(facePhoto('howard', 1)), true)]);
      const other = okPersons(howard).find((p) => p.embedding)!.embedding!;
      const [enrolPenny, enrolHoward] = await faceres.embed([await faceDescriptorInput(facePhoto('penny', 1)), await faceDescriptorInput(facePhoto('howard', 1))]);
      console.log(
        `same person across 5 frames: min cosine ${Math.min(...same).toFixed(3)}; other person ${cosine(vectors[0]!, other).toFixed(3)}; ` +
          `live vs enrolment photo ${cosine(vectors[0]!, enrolPenny!).toFixed(3)} (other person's photo ${cosine(vectors[0]!, enrolHoward!).toFixed(3)})`,
      );
      expect(Math.min(...same)).toBeGreaterThan(0.85);
      expect(cosine(vectors[0]!, other)).toBeLessThan(0.6);
      expect(cosine(vectors[0]!, enrolPenny!)).toBeGreaterThan(0.8);
      expect(cosine(vectors[0]!, enrolHoward!)).toBeLessThan(0.6);
    },
    120_000,
  );

  itWithInputs(photos, 'face embedding worker test')(
    'never embeds ground truth: a SIMULATED frame asking for faces gets none',
    async () => {
      const truth: InferenceBackend = {
        name: 'simulated',
        close: async () => undefined,
        infer: async (fs) =>
          fs.map((f) => ({
            frameId: f.frameId,
            ok: true as const,
            width: 640,
            height: 480,
            inferenceMs: 0,
            provenance: { backend: 'simulated' as const, model: 'ground-truth' },
            persons: [{ box: { x: 0, y: 0, width: 10, height: 10 }, score: 1, keypoints: Array.from({ length: 17 }, (_, k) => ({ x: 300 + k, y: 200, score: 1 })) }],
          })),
      };
      let loads = 0;
      const wrapped = new FaceEmbeddingBackend(truth, {
        loadEmbedder: async () => {
          loads += 1;
          return faceres;
        },
      });
      const [r] = await wrapped.infer([frame('s', await faceFrame(facePhoto('howard', 1)), true, 'SIMULATED')]);
      expect(okPersons(r).every((p) => p.embedding === undefined)).toBe(true);
      expect(loads).toBe(0);
    },
    60_000,
  );
});
