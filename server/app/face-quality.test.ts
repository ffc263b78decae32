import { faceQualityOf } from './face-quality';

const kp = (eyes: [number, number]) => [{ score: 0.9 }, { score: eyes[0] }, { score: eyes[1] }, { score: 0.9 }];

describe('faceQualityOf', () => {
  it('uses the weaker eye keypoint score (faces are aligned by the eyes)', () => {
    expect(faceQualityOf([{ trackId: 1, score: 0.99, keypoints: kp([0.85, 0.6]) }], 1)).toBe(0.6);
  });
  it('falls back to the detection score without keypoints, clamped to [0, 1]', () => {
    expect(faceQualityOf([{ trackId: 2, score: 0.7, keypoints: [] }], 2)).toBe(0.7);
    expect(faceQualityOf([{ trackId: 2, score: 1.4, keypoints: [] }], 2)).toBe(1);
  });
  it('is undefined for a track not in the frame or a non-finite score', () => {
    expect(faceQualityOf([{ trackId: 1, score: 0.9, keypoints: [] }], 9)).toBeUndefined();
    expect(faceQualityOf([{ trackId: 1, score: Number.NaN, keypoints: [] }], 1)).toBeUndefined();
  });
});
