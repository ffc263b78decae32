/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { OnnxDataType, OnnxGraphBuilder, attr } from '../models/onnx/onnx-graph.builder';
import { ArcFaceEmbedder } from './arcface-embedder';
import { createInferenceBackend } from './create-inference-backend';
import { loadOnnxSession } from './onnx-session.factory';

// Adapters that no shipped model exercises, run on small graphs whose outputs are known.
const dir = mkdtempSync(path.join(os.tmpdir(), 'onnx-adapters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A YOLOv8-pose-shaped graph: input [1,3,64,64], output a fixed [1,56,4] head (input * 0 + head). */
function yoloGraph(head: Float32Array): string {
  const b = new OnnxGraphBuilder();
  const mean = b.op('ReduceMean', ['images'], { axes: attr.ints([1, 2, 3]), keepdims: attr.int(1) });
  const zero = b.op('Mul', [b.op('Reshape', [mean, b.constInt64([1, 1, 1])]), b.constFloat([0], [])]);
  b.node('Add', [zero, b.constFloat(head, [1, 56, 4])], ['output0']);
  const file = path.join(dir, 'yolo.onnx');
  writeFileSync(file, b.build({ graphName: 'yolo', inputs: [{ name: 'images', dataType: OnnxDataType.FLOAT, shape: [1, 3, 64, 64] }], outputs: [{ name: 'output0', dataType: OnnxDataType.FLOAT, shape: [1, 56, 4] }] }));
  return file;
}

/** An ArcFace-shaped graph: [N,3,112,112] -> per-channel mean [N,3] (not normalized). */
function arcfaceGraph(): string {
  const b = new OnnxGraphBuilder();
  b.node('ReduceMean', ['data'], ['fc1'], { axes: attr.ints([2, 3]), keepdims: attr.int(0) });
  const file = path.join(dir, 'arcface.onnx');
  writeFileSync(file, b.build({ graphName: 'arcface', inputs: [{ name: 'data', dataType: OnnxDataType.FLOAT, shape: ['N', 3, 112, 112] }], outputs: [{ name: 'fc1', dataType: OnnxDataType.FLOAT }] }));
  return file;
}

describe('yolov8-pose adapter', () => {
  // anchors: A (kept), B (overlaps A, lower score: suppressed), C (kept), D (below threshold)
  const anchors = [
    { cx: 20, cy: 20, w: 10, h: 20, score: 0.9 },
    { cx: 21, cy: 20, w: 10, h: 20, score: 0.8 },
    { cx: 50, cy: 20, w: 8, h: 8, score: 0.7 },
    { cx: 10, cy: 50, w: 8, h: 8, score: 0.1 },
  ];
  const head = new Float32Array(56 * 4);
  anchors.forEach((a, i) => {
    [a.cx, a.cy, a.w, a.h, a.score].forEach((v, c) => (head[c * 4 + i] = v));
    for (let k = 0; k < 17; k++) {
      head[(5 + k * 3) * 4 + i] = a.cx + k;
      head[(6 + k * 3) * 4 + i] = a.cy;
      head[(7 + k * 3) * 4 + i] = 0.5;
    }
  });

  it('decodes, suppresses duplicates and maps back through the letterbox (128x64 image -> 64x64 input, scale 2)', async () => {
    const backend = await createInferenceBackend({ kind: 'yolov8-pose', modelPath: yoloGraph(head), embedding: false, preferCuda: false });
    const image = await sharp({ create: { width: 128, height: 64, channels: 3, background: '#808080' } }).png().toBuffer();
    const [result] = await backend.infer([{ frameId: 'f', cameraId: 'c', seq: 1, image, perception: 'CLOSE_UP' }]);
    await backend.close();
    expect(backend.name).toBe('onnx:yolov8-pose');
    if (!result?.ok) throw new Error('expected ok');
    expect(result.persons.map((p) => p.score)).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.7, 5)]);
    expect(result.persons[0]?.box).toEqual({ x: 30, y: 20, width: 20, height: 40 });
    expect(result.persons[1]?.box).toEqual({ x: 92, y: 32, width: 16, height: 16 });
    expect(result.persons[0]?.keypoints[3]).toEqual({ x: 46, y: 40, score: 0.5 });
  });
});

describe('arcface-112 adapter', () => {
  it.each([
    ['NCHW, RGB', false, [1, -1, -1]],
    ['NCHW, BGR', true, [-1, -1, 1]],
  ])('%s: one batched call, L2-normalized embeddings', async (_label, bgr, direction) => {
    const loaded = await loadOnnxSession(arcfaceGraph(), { preferCuda: false });
    const embedder = new ArcFaceEmbedder(loaded, { normalization: { mean: 127.5, std: 127.5, bgr } });
    const red = new Uint8Array(112 * 112 * 3).map((_, i) => (i % 3 === 0 ? 255 : 0));
    const vectors = await embedder.embed([red, red]);
    await loaded.session.release();
    const s = 1 / Math.sqrt(3);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) v.forEach((x, i) => expect(x).toBeCloseTo((direction[i] ?? 0) * s, 5));
  });
});
