import { CMJ } from '../sports/cmj/cmj.sport';
import { DROP_JUMP } from '../sports/drop-jump/drop-jump.sport';
import { RUNNING } from '../sports/running/running.sport';
import { SQUAT } from '../sports/squat/squat.sport';
import { createSquatLiveTrigger } from '../sports/squat/squat.live-trigger';
import type { LiveTriggerFactory } from './live-trigger';
import type { MotionSport, SportDefinition } from './motion-analysis';

/** One number a sport reports: its key in the metrics, unit and meaning. */
export interface MetricDescriptor {
  readonly key: string;
  readonly unit: string;
  readonly description: string;
  /** PER_EVENT: one value per jump/rep/step; SUMMARY: one per analysis. */
  readonly scope: 'PER_EVENT' | 'SUMMARY';
}

/** The body signal plotted for a sport (what a coach watches it by). */
export type PlotSignalName = 'COM_HEIGHT' | 'KNEE_ANGLE' | 'LOWER_ANKLE_HEIGHT';

/** What the catalog says about one sport (the `sports` query shows it). */
export interface SportCatalogEntry {
  readonly sport: MotionSport;
  readonly title: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one entry per sport, each with its own event and metric types
  readonly definition: SportDefinition<any, any>;
  /** What one event of the sport is. */
  readonly eventKind: 'JUMP' | 'REP' | 'STEP';
  readonly cameraSetup: string;
  readonly plotSignal: PlotSignalName;
  /**
   * Live analyses re-read a window of recent frames; a sport that reports only its best event
   * (CMJ and drop jump report the highest flight) starts the window after the last event it
   * reported, so each new jump is the one found.
   */
  readonly singleEventPerWindow: boolean;
  /**
   * Live re-analysis: seconds of recent frames read, and frame time between reads. The cost
   * per frame is (window / every) x the batch cost per frame, so each sport reads what its
   * events need and no more (a squat's standing angle needs a few seconds of standing; four
   * running steps fit in 4 s). A sport with a `trigger` re-reads only at the ticks its cheap
   * per-frame check says an event may have settled (see `domain/live-trigger.ts`).
   */
  readonly live: { readonly windowS: number; readonly everyS: number; readonly trigger?: LiveTriggerFactory };
  readonly metrics: readonly MetricDescriptor[];
}

const SIDE_VIEW = 'Camera at hip height, square to the movement (side view), 3-5 m away, the whole body in frame with the feet and some floor visible; still camera.';

/** Every sport with an analysis, in the order the API lists them. */
export const SPORT_CATALOG: readonly SportCatalogEntry[] = [
  {
    sport: 'CMJ',
    title: 'Countermovement jump',
    definition: CMJ,
    eventKind: 'JUMP',
    cameraSetup: `${SIDE_VIEW} At least 25 fps (60 fps for 1 cm).`,
    plotSignal: 'COM_HEIGHT',
    singleEventPerWindow: true,
    live: { windowS: 6, everyS: 0.5 },
    metrics: [
      { key: 'jumpHeightM', unit: 'm', description: 'Jump height by the flight-time method, g T^2 / 8', scope: 'PER_EVENT' },
      { key: 'flightTimeS', unit: 's', description: 'Time in the air', scope: 'PER_EVENT' },
      { key: 'countermovementDepthM', unit: 'm', description: 'Drop of the centre of mass before the push (needs the athlete height)', scope: 'PER_EVENT' },
      { key: 'takeoffS', unit: 's', description: 'Take-off, seconds from the first frame', scope: 'PER_EVENT' },
      { key: 'landingS', unit: 's', description: 'Landing, seconds from the first frame', scope: 'PER_EVENT' },
    ],
  },
  {
    sport: 'DROP_JUMP',
    title: 'Drop jump',
    definition: DROP_JUMP,
    eventKind: 'JUMP',
    cameraSetup: `${SIDE_VIEW} The box and the landing spot both in frame. At least 25 fps.`,
    plotSignal: 'COM_HEIGHT',
    singleEventPerWindow: true,
    live: { windowS: 6, everyS: 0.5 },
    metrics: [
      { key: 'contactTimeS', unit: 's', description: 'Ground contact between the drop and the rebound', scope: 'PER_EVENT' },
      { key: 'flightTimeS', unit: 's', description: 'Rebound time in the air', scope: 'PER_EVENT' },
      { key: 'jumpHeightM', unit: 'm', description: 'Rebound height by the flight-time method', scope: 'PER_EVENT' },
      { key: 'reactiveStrengthIndex', unit: 'm/s', description: 'RSI: jump height / contact time', scope: 'PER_EVENT' },
      { key: 'boxHeightM', unit: 'm', description: 'Box height measured from the ankles (needs the athlete height)', scope: 'PER_EVENT' },
    ],
  },
  {
    sport: 'SQUAT',
    title: 'Squat (reps)',
    definition: SQUAT,
    eventKind: 'REP',
    cameraSetup: 'Front or side view, the whole body in frame; side view measures depth best. 4 fps counts reps, 15 fps or more for tempo.',
    plotSignal: 'KNEE_ANGLE',
    singleEventPerWindow: false,
    live: { windowS: 8, everyS: 1, trigger: createSquatLiveTrigger },
    metrics: [
      { key: 'repCount', unit: 'reps', description: 'Completed reps', scope: 'SUMMARY' },
      { key: 'incompleteReps', unit: 'reps', description: 'A descent the clip cut off before standing up again', scope: 'SUMMARY' },
      { key: 'bottomKneeAngleDeg', unit: 'deg', description: 'Knee angle at the bottom (180 = straight)', scope: 'PER_EVENT' },
      { key: 'downS', unit: 's', description: 'Tempo down', scope: 'PER_EVENT' },
      { key: 'upS', unit: 's', description: 'Tempo up', scope: 'PER_EVENT' },
    ],
  },
  {
    sport: 'RUNNING',
    title: 'Running (side view)',
    definition: RUNNING,
    eventKind: 'STEP',
    cameraSetup: `${SIDE_VIEW} On a treadmill or with the runner crossing the frame for 4+ steps. At least 25 fps (50-60 fps for contact times).`,
    plotSignal: 'LOWER_ANKLE_HEIGHT',
    singleEventPerWindow: false,
    live: { windowS: 4, everyS: 1 },
    metrics: [
      { key: 'cadenceSpm', unit: 'steps/min', description: 'Cadence', scope: 'SUMMARY' },
      { key: 'stepCount', unit: 'steps', description: 'Steps measured', scope: 'SUMMARY' },
      { key: 'meanContactTimeS', unit: 's', description: 'Mean ground contact time', scope: 'SUMMARY' },
      { key: 'meanFlightTimeS', unit: 's', description: 'Mean flight time', scope: 'SUMMARY' },
      { key: 'stanceSwingRatio', unit: 'ratio', description: 'Stance / swing time of the same foot', scope: 'SUMMARY' },
      { key: 'contactTimeS', unit: 's', description: 'Ground contact of the step', scope: 'PER_EVENT' },
      { key: 'flightTimeS', unit: 's', description: 'Flight after the step', scope: 'PER_EVENT' },
      { key: 'swingTimeS', unit: 's', description: 'Swing of the foot', scope: 'PER_EVENT' },
    ],
  },
];

/** The catalog entry of a sport. */
export function sportEntry(sport: MotionSport): SportCatalogEntry {
  const entry = SPORT_CATALOG.find((e) => e.sport === sport);
  if (!entry) throw new RangeError(`no catalog entry for ${sport}`);
  return entry;
}
