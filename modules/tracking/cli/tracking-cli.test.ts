import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '@trinetra/shared';
import { itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { formatMotChallenge } from '../domain/eval/mot-challenge.parser';
import { generateScenario } from '../domain/scenario/scenario.generator';
import { motEvalCommand, trackCommand, trackingCliCommands } from './index';

/** In-memory io capturing both streams. */
function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string) => (out += c) },
    stderr: { write: (c: string) => (err += c) },
    out: () => out,
    err: () => err,
  };
}

const summaryLine = /^mota=(-?[\d.]+) motp=([\d.]+) idf1=([\d.]+) idsw=(\d+) fp=(\d+) fn=(\d+) mt=(\d+) ml=(\d+) frag=(\d+) hota=([\d.]+) deta=([\d.]+) assa=([\d.]+) loca=([\d.]+)$/;

describe('tracking CLI commands', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trinetra-tracking-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports both commands by name', () => {
    expect(trackingCliCommands.map((c) => c.name)).toEqual(['mot-eval', 'track']);
  });

  it('mot-eval prints metrics and ends with the summary line', async () => {
    await writeFile(join(dir, 'gt.txt'), '1,1,0,0,10,10,1,-1,-1,-1\n2,1,0,0,10,10,1,-1,-1,-1\n');
    await writeFile(join(dir, 'res.txt'), '1,4,0,0,10,10,1,-1,-1,-1\n2,4,0,0,10,10,1,-1,-1,-1\n3,4,0,0,10,10,1,-1,-1,-1\n');
    const io = memoryIo();
    expect(await motEvalCommand.run([join(dir, 'gt.txt'), join(dir, 'res.txt')], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    // HOTA: 2 TPs and 1 FP at every alpha: DetA 2/3, AssA (2·2/(2+3-2))/2 = 2/3, HOTA 2/3.
    expect(lines.at(-1)).toBe('mota=0.500000 motp=1.000000 idf1=0.800000 idsw=0 fp=1 fn=0 mt=1 ml=0 frag=0 hota=0.666667 deta=0.666667 assa=0.666667 loca=1.000000');
    expect(io.out()).toContain('higher is better');
  });

  it.each([
    ['no arguments', [], 2],
    ['one file', ['a.txt'], 2],
    ['bad iou', ['a.txt', 'b.txt', '--iou', '2'], 2],
    ['unknown flag', ['a.txt', 'b.txt', '--nope'], 2],
    ['missing files', ['/nonexistent/gt.txt', '/nonexistent/res.txt'], 1],
  ])('mot-eval rejects %s', async (_name, argv, code) => {
    const io = memoryIo();
    expect(await motEvalCommand.run(argv as string[], io)).toBe(code);
    expect(io.err()).not.toBe('');
  });

  it('mot-eval names the bad line of a malformed file', async () => {
    await writeFile(join(dir, 'gt.txt'), '1,1,0,0,10,10\n2,1,zero,0,10,10\n');
    const io = memoryIo();
    expect(await motEvalCommand.run([join(dir, 'gt.txt'), join(dir, 'gt.txt')], io)).toBe(1);
    expect(io.err()).toContain('gt.txt:2');
  });

  it('track writes MOTChallenge results that mot-eval scores well on a synthetic scene', async () => {
    const scene = generateScenario({ seed: 11, frames: 100 });
    await writeFile(join(dir, 'det.txt'), formatMotChallenge(scene.detections, 3));
    await writeFile(join(dir, 'gt.txt'), formatMotChallenge(scene.groundTruth, 3));
    const io = memoryIo();
    expect(await trackCommand.run([join(dir, 'det.txt'), join(dir, 'out.txt')], io)).toBe(0);
    expect(io.out()).toMatch(/frames=100 /);
    const out = await readFile(join(dir, 'out.txt'), 'utf8');
    expect(out.split('\n')[0]).toMatch(/^\d+,\d+,-?[\d.]+,-?[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/);
    const evalIo = memoryIo();
    expect(await motEvalCommand.run([join(dir, 'gt.txt'), join(dir, 'out.txt')], evalIo)).toBe(0);
    const match = summaryLine.exec(evalIo.out().trimEnd().split('\n').at(-1)!);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0.8);
    expect(Number(match![3])).toBeGreaterThan(0.75);
  });

  it('track rejects bad options', async () => {
    const io = memoryIo();
    expect(await trackCommand.run(['a', 'b', '--low', 'x'], io)).toBe(2);
  });

  const data = sharedDataPath('motmetrics/TUD-Campus');
  itWithInputs([join(data, 'gt.txt'), join(data, 'test.txt')], 'mot-eval on TUD-Campus')(
    'mot-eval reproduces py-motmetrics and TrackEval on TUD-Campus (shared data)',
    async () => {
      const io = memoryIo();
      expect(await motEvalCommand.run([join(data, 'gt.txt'), join(data, 'test.txt')], io)).toBe(0);
      expect(io.out().trimEnd().split('\n').at(-1)).toMatch(/^mota=0.526462 motp=0.722799 idf1=0.557659 idsw=7 fp=13 fn=150 mt=1 ml=1 frag=7 hota=0.39139\d deta=0.41804\d assa=0.36912\d loca=0.77005\d$/);
    },
  );
});
