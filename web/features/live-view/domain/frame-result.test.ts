import { fromFrameResultMessage, type FrameResultWire } from './frame-result';

const wire: FrameResultWire = { cameraId: 'cam', seq: 3, captureTs: 1000, width: 640, height: 480, tracks: [], preview: null };

describe('fromFrameResultMessage', () => {
  it('keeps what produced the detections, and null when the server sent none', () => {
    expect(fromFrameResultMessage({ ...wire, provenance: { backend: 'onnx', model: 'nanodet-m+movenet-lightning' } }).provenance).toEqual({
      backend: 'onnx',
      model: 'nanodet-m+movenet-lightning',
    });
    expect(fromFrameResultMessage(wire).provenance).toBeNull();
  });
});
