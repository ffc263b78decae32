import { DetectionWatch, NO_DETECTION_WARNING_FRAMES } from './detection-watch';

describe('DetectionWatch', () => {
  it('warns after the threshold of empty frames in a row, with perception and resolution hints, and clears on a detection', () => {
    const watch = new DetectionWatch({ sourceKind: 'NETWORK', perception: 'SCENE', tiled: false });
    for (let i = 0; i < NO_DETECTION_WARNING_FRAMES - 1; i++) watch.frame(0, 320, 240);
    expect(watch.warning()).toBeNull();
    watch.frame(0, 320, 240);
    const warning = watch.warning()!;
    expect(warning).toMatch(/^No one detected in the last 100 processed frames \(scene, 320x240\)/);
    expect(warning).toMatch(/CLOSE_UP/);
    expect(warning).toMatch(/tiles/);
    expect(warning).toMatch(/only 320x240: a higher resolution helps/);
    watch.frame(1, 320, 240);
    expect(watch.framesWithoutPeople).toBe(0);
    expect(watch.warning()).toBeNull();
  });

  it('suggests SCENE to a CLOSE_UP camera, and no resolution hint at a usable size', () => {
    const watch = new DetectionWatch({ sourceKind: 'UPLOAD', perception: 'CLOSE_UP', tiled: false });
    for (let i = 0; i < NO_DETECTION_WARNING_FRAMES; i++) watch.frame(0, 1280, 720);
    expect(watch.warning()).toMatch(/close-up, 1280x720.*set the perception to SCENE/);
    expect(watch.warning()).not.toMatch(/resolution/);
  });
});
