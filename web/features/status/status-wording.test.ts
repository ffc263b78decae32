import { CameraStatus, DesiredStatus, VideoJobStatus } from '../../lib/generated/graphql';
import { cameraStatusWording, videoJobStatusWording } from './status-wording';

// Every value comes from the generated enums: a state added to the API fails here until worded.
const cameraStates = Object.values(CameraStatus).flatMap((status) => Object.values(DesiredStatus).map((desired) => [status, desired] as const));

describe('status wording', () => {
  it.each(cameraStates)('words camera status %s asked to be %s with a label, an explanation and a tone', (status, desired) => {
    const wording = cameraStatusWording(status, desired);
    expect(wording.label).toMatch(/^[A-Z][a-z ,]+$/);
    // An explanation, not the raw state echoed back.
    expect(wording.explanation).not.toContain(status);
    expect(wording.explanation.length).toBeGreaterThan(30);
    expect(['ok', 'busy', 'bad', 'neutral']).toContain(wording.tone);
  });

  it.each(Object.values(VideoJobStatus))('words job status %s', (status) => {
    const wording = videoJobStatusWording(status);
    expect(wording.label).toMatch(/^[A-Z][a-z ,]+$/);
    expect(wording.explanation).not.toContain(status);
    expect(wording.explanation.length).toBeGreaterThan(30);
  });

  it('explains the states people found confusing', () => {
    expect(cameraStatusWording('IDLE', 'STOPPED').label).toBe('Not started');
    expect(cameraStatusWording('STOPPED', 'RUNNING')).toMatchObject({ label: 'Finished', explanation: expect.stringMatching(/read to its end/) });
    // Also when the page still holds the desired state from before the failure.
    expect(cameraStatusWording('FAILED', 'RUNNING')).toMatchObject({ label: 'Failed', tone: 'bad' });
    expect(cameraStatusWording('FAILED', 'STOPPED')).toMatchObject({ label: 'Failed', tone: 'bad', explanation: expect.stringMatching(/Edit, then press Start/) });
  });

  it('calls a camera whose video ended finished, whatever else stopped it', () => {
    expect(cameraStatusWording('STOPPED', 'STOPPED', 'ENDED')).toMatchObject({ label: 'Finished', explanation: expect.stringMatching(/read to its end/) });
    expect(cameraStatusWording('STOPPED', 'STOPPED', null).label).toBe('Stopped');
    // A reason on another state leaves that state's wording (its note shows the reason).
    expect(cameraStatusWording('FAILED', 'STOPPED', 'SOURCE_NOT_FOUND').label).toBe('Failed');
  });

  it('gives every camera state a distinct wording within a desired state', () => {
    for (const desired of Object.values(DesiredStatus)) {
      const labels = Object.values(CameraStatus).map((s) => cameraStatusWording(s, desired).label);
      // Stopping covers every "still running but asked to stop" state on purpose.
      const distinct = new Set(labels.filter((l) => l !== 'Stopping'));
      expect(distinct.size).toBe(labels.filter((l) => l !== 'Stopping').length);
    }
  });

  it('shows a state this dashboard does not know yet raw instead of failing', () => {
    expect(cameraStatusWording('WARMING_UP', 'RUNNING')).toMatchObject({ label: 'warming up', tone: 'neutral' });
    expect(videoJobStatusWording('PAUSED').label).toBe('paused');
  });
});
