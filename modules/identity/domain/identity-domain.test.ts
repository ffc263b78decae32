import { calibrateThresholds, matchFace } from './open-set-matcher';
import { TrackIdentityVote } from './track-identity-vote';
import { pairScores, rocAuc, rocCurve, trueAcceptAtZeroFalseAccept } from './verification-metrics';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const thresholds = { accept: 0.8, review: 0.6 };
const gallery = [
  { personId: 'ann', embeddings: [unit(1, 0, 0), unit(0.9, 0.1, 0)] },
  { personId: 'bob', embeddings: [unit(0, 1, 0)] },
];

describe('matchFace', () => {
  it('names the closest person above the accept threshold', () => {
    expect(matchFace(unit(1, 0.05, 0), gallery, thresholds)).toMatchObject({ kind: 'MATCH', personId: 'ann' });
  });
  it('asks for review in the band and never names there', () => {
    expect(matchFace(unit(1, 1, 0.3), gallery, thresholds).kind).toBe('REVIEW');
  });
  it('keeps a stranger unknown even though someone is nearest', () => {
    expect(matchFace(unit(0, 0, 1), gallery, thresholds)).toMatchObject({ kind: 'UNKNOWN' });
    expect(matchFace(unit(1, 0, 0), [], thresholds)).toMatchObject({ kind: 'UNKNOWN' });
  });
  it('rejects a review threshold above accept', () => {
    expect(() => matchFace(unit(1, 0, 0), gallery, { accept: 0.5, review: 0.6 })).toThrow(RangeError);
  });
});

describe('calibrateThresholds', () => {
  it('sits above the most similar stranger', () => {
    const t = calibrateThresholds([0.3, 0.55, 0.4], { margin: 0.02, reviewBand: 0.1 });
    expect(t.accept).toBeCloseTo(0.57);
    expect(t.review).toBeCloseTo(0.47);
  });
});

describe('TrackIdentityVote', () => {
  const match = (personId: string) => ({ kind: 'MATCH' as const, personId, similarity: 0.9 });
  const unknown = { kind: 'UNKNOWN' as const, similarity: 0.1 };
  it('stays pending until five frames, then names on a majority', () => {
    const vote = new TrackIdentityVote();
    for (let i = 0; i < 4; i++) expect(vote.observe(match('ann')).kind).toBe('PENDING');
    expect(vote.observe(unknown)).toEqual({ kind: 'NAMED', personId: 'ann' });
  });
  it('one good frame does not name a track', () => {
    const vote = new TrackIdentityVote();
    [unknown, unknown, unknown, unknown].forEach((d) => vote.observe(d));
    expect(vote.observe(match('ann'))).toEqual({ kind: 'UNKNOWN' });
  });
  it('conflicting names leave the track unknown', () => {
    const vote = new TrackIdentityVote();
    [match('ann'), match('ann'), match('ann'), match('bob')].forEach((d) => vote.observe(d));
    expect(vote.observe(match('ann'))).toEqual({ kind: 'UNKNOWN' });
  });
});

describe('verification metrics', () => {
  const samples = [
    { label: 'a', embedding: unit(1, 0) },
    { label: 'a', embedding: unit(1, 0.2) },
    { label: 'b', embedding: unit(0, 1) },
    { label: 'b', embedding: unit(0.3, 1) },
  ];
  it('splits genuine and impostor pairs and measures the ROC', () => {
    const scores = pairScores(samples);
    expect(scores.genuine).toHaveLength(2);
    expect(scores.impostor).toHaveLength(4);
    expect(rocAuc(scores)).toBe(1);
    expect(trueAcceptAtZeroFalseAccept(scores).trueAcceptRate).toBe(1);
    const roc = rocCurve(scores);
    expect(roc[0]?.falseAcceptRate).toBe(0);
    expect(roc[roc.length - 1]).toMatchObject({ trueAcceptRate: 1, falseAcceptRate: 1 });
  });
});
