import { AlertRuleEvaluator, FRAME_RULE_KINDS, type AlertRuleSpec, type RaisedAlert } from './alert-rules';
import { footPoint, type AnalyticsFrame } from './analytics-frame';
import { HeatmapAccumulator, type HeatmapMinute } from './heatmap.grid';
import { LineCrossingCounter, type LineCrossing, type LineCrossingCounterOptions } from './line-crossing.counter';
import { OccupancyMinutes, type OccupancyMinute } from './occupancy-minutes';
import { ZonePresence, type PresenceEvent, type ZonePresenceOptions } from './zone-presence';

/** A zone as drawn (normalized points); AREA zones get presence, LINE zones get counted. */
export interface ZoneSpec {
  id: string;
  kind: 'AREA' | 'LINE';
  polygon: readonly (readonly number[])[];
}

export interface CameraAnalyticsConfig {
  zones: readonly ZoneSpec[];
  rules: readonly AlertRuleSpec[];
}

export interface CameraAnalyticsOptions {
  presence?: ZonePresenceOptions;
  lines?: LineCrossingCounterOptions;
}

/** What one frame changed. */
export interface FrameAnalytics {
  presence: PresenceEvent[];
  crossings: LineCrossing[];
  alerts: RaisedAlert[];
}

/** Minute aggregates accumulated since the last take (the store adds them up). */
export interface AnalyticsBuckets {
  heatmaps: HeatmapMinute[];
  occupancy: OccupancyMinute[];
}

const toPoint = (p: readonly number[]): { x: number; y: number } => ({ x: p[0]!, y: p[1]! });

/**
 * Everything analytics computes for one camera, frame by frame: zone presence (visits, dwell,
 * transitions, occupancy), line crossings, alert rules, and the heatmap and occupancy minute
 * buckets. Pure and synchronous; all time is the frames' capture time.
 */
export class CameraAnalytics {
  private readonly presence: ZonePresence;
  private readonly lines: LineCrossingCounter;
  private readonly rules: AlertRuleEvaluator;
  private readonly heatmap = new HeatmapAccumulator();
  private readonly occupancyMinutes = new OccupancyMinutes();

  constructor(
    readonly config: CameraAnalyticsConfig,
    options: CameraAnalyticsOptions = {},
  ) {
    const areas = config.zones.filter((z) => z.kind === 'AREA').map((z) => ({ id: z.id, polygon: z.polygon.map(toPoint) }));
    const lines = config.zones.filter((z) => z.kind === 'LINE').map((z) => ({ id: z.id, a: toPoint(z.polygon[0]!), b: toPoint(z.polygon[1]!) }));
    this.presence = new ZonePresence(areas, options.presence);
    this.lines = new LineCrossingCounter(lines, options.lines);
    this.rules = new AlertRuleEvaluator(config.rules.filter((r) => FRAME_RULE_KINDS.includes(r.kind)));
  }

  /** Tracks confirmed inside an AREA zone now. */
  occupancy(zoneId: string): number {
    return this.presence.occupancy(zoneId);
  }

  update(frame: AnalyticsFrame): FrameAnalytics {
    const observations = frame.tracks.map((t) => ({ trackId: t.trackId, point: footPoint(t, frame.width, frame.height) }));
    const presence = this.presence.update(frame.captureTs, observations);
    const crossings = this.lines.update(frame.captureTs, frame.width / frame.height, observations);
    const alerts = this.rules.evaluate(frame.captureTs, this.presence.openVisits(), (id) => this.presence.occupancy(id));
    this.heatmap.add(
      frame.captureTs,
      observations.map((o) => o.point),
    );
    for (const zone of this.presence.zones) this.occupancyMinutes.add(frame.captureTs, zone.id, this.presence.occupancy(zone.id));
    return { presence, crossings, alerts };
  }

  /** Closes open visits (the camera stopped, or its zones changed and this state is replaced). */
  end(): PresenceEvent[] {
    return this.presence.endAll();
  }

  /** Tracks whose journey on this camera ended since the last call (metrics). */
  takeCompletedJourneys(): number {
    return this.presence.takeCompletedJourneys();
  }

  /** Minute aggregates accumulated since the last call. */
  takeBuckets(): AnalyticsBuckets {
    return { heatmaps: this.heatmap.take(), occupancy: this.occupancyMinutes.take() };
  }
}
