/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import sharp from 'sharp';
import { ensurePreparedModels } from '../models/prepared-model.store';
import { ImageDecodeError } from '../preprocess/letterbox.preprocessor';
import { FACE_DESCRIPTOR_SIDE, FaceDescriptorEmbedder, faceDescriptorInput, loadFaceDescriptorEmbedder } from './face-descriptor.embedder';
import { InferenceErrorCode } from './inference.error';
import { loadOnnxSession } from './onnx-session.factory';

describe('FaceDescriptorEmbedder', () => {
  it('refuses a model that is not FaceRes (MobileFaceNet, 112x112)', async () => {
    const [mobile] = await ensurePreparedModels({ models: ['mobilefacenet'] });
    const loaded = await loadOnnxSession(mobile!.onnxPath, { preferCuda: false });
    expect(() => new FaceDescriptorEmbedder(loaded)).toThrow(expect.objectContaining({ code: InferenceErrorCode.MODEL_INVALID }));
  }, 60_000);

  it('embeds the centred square of a photo into a unit 1024-d vector, in batches', async () => {
    const embedder = await loadFaceDescriptorEmbedder();
    const wide = await sharp({ create: { width: 300, height: 150, channels: 3, background: { r: 200, g: 120, b: 90 } } })
      .png()
      .toBuffer();
    const crop = await faceDescriptorInput(wide);
    expect(crop).toHaveLength(FACE_DESCRIPTOR_SIDE * FACE_DESCRIPTOR_SIDE * 3);
    const [a, b] = await embedder.embed([crop, crop]);
    expect(a).toHaveLength(1024);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 4);
    expect(b).toEqual(a);
  }, 60_000);

  it.each([
    ['empty', Buffer.alloc(0)],
    ['not an image', Buffer.from('not an image')],
  ])('rejects %s bytes as an ImageDecodeError', async (_why, bytes) => {
    await expect(faceDescriptorInput(bytes)).rejects.toBeInstanceOf(ImageDecodeError);
  });
});
