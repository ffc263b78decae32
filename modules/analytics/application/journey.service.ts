import { z } from 'zod';
import { InvalidInputError, NotFoundError, parseInput, type CameraDirectory } from '@trinetra/shared';
import { DEFAULT_RETENTION_DAYS } from '../infra/analytics-retention.repository';
import { buildJourneys, DEFAULT_JOURNEY_SKEW_MS, journeyFlows, type FlowLink, type FlowNode, type Journey } from '../domain/journeys';
import type { AnalyticsSettingsRow, JourneyRepository } from '../infra/journey.repository';

/** At most this many finished visits are ordered into journeys per answer (bounded memory and time). */
export const MAX_JOURNEY_VISITS = 20_000;
/** The longest range journeys are built over. */
export const MAX_JOURNEY_RANGE_MS = 31 * 86_400_000;

export const AnalyticsSettingsSchema = z.object({
  retentionDays: z.number().int('retentionDays must be a whole number of days').min(1).max(3650),
  journeySkewSeconds: z.number().finite().min(0).max(60),
});

export interface JourneyPage {
  journeys: Journey[];
  /** Journeys in the range (the page holds the latest `first`). */
  total: number;
  skewMs: number;
}

/** Journeys across cameras (identity's person key when present), ordered with the tenant's clock-skew tolerance. */
export class JourneyService {
  constructor(
    private readonly repository: JourneyRepository,
    private readonly cameras: CameraDirectory,
  ) {}

  async settings(tenantId: string): Promise<AnalyticsSettingsRow> {
    return (await this.repository.settings(tenantId)) ?? { retentionDays: DEFAULT_RETENTION_DAYS, journeySkewMs: DEFAULT_JOURNEY_SKEW_MS };
  }

  async updateSettings(tenantId: string, input: { retentionDays: number; journeySkewSeconds: number }): Promise<AnalyticsSettingsRow> {
    const parsed = parseInput(AnalyticsSettingsSchema, input);
    return this.repository.saveSettings(tenantId, { retentionDays: parsed.retentionDays, journeySkewMs: Math.round(parsed.journeySkewSeconds * 1000) });
  }

  async journeys(tenantId: string, from: Date, to: Date, cameraIds: readonly string[] | null, first: number): Promise<JourneyPage> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new InvalidInputError('first: between 1 and 100', { field: 'first' });
    const { journeys, skewMs } = await this.build(tenantId, from, to, cameraIds);
    return { journeys: journeys.slice(-first).reverse(), total: journeys.length, skewMs };
  }

  async flows(tenantId: string, from: Date, to: Date, cameraIds: readonly string[] | null): Promise<{ nodes: FlowNode[]; links: FlowLink[]; journeys: number; skewMs: number }> {
    const { journeys, skewMs } = await this.build(tenantId, from, to, cameraIds);
    return { ...journeyFlows(journeys), journeys: journeys.length, skewMs };
  }

  private async build(tenantId: string, from: Date, to: Date, cameraIds: readonly string[] | null): Promise<{ journeys: Journey[]; skewMs: number }> {
    if (Number.isNaN(from.getTime())) throw new InvalidInputError('from: not a date', { field: 'from' });
    if (Number.isNaN(to.getTime())) throw new InvalidInputError('to: not a date', { field: 'to' });
    if (to.getTime() <= from.getTime()) throw new InvalidInputError('to: must be after from', { field: 'to' });
    if (to.getTime() - from.getTime() > MAX_JOURNEY_RANGE_MS) throw new InvalidInputError('to: journeys cover at most 31 days per query', { field: 'to' });
    if (cameraIds !== null) {
      if (cameraIds.length === 0 || cameraIds.length > 100) throw new InvalidInputError('cameraIds: between 1 and 100 cameras', { field: 'cameraIds' });
      const found = await this.cameras.findMany(tenantId, [...new Set(cameraIds)]);
      const missing = cameraIds.find((id) => !found.some((c) => c.id === id));
      if (missing !== undefined) throw new NotFoundError('Camera', missing);
    }
    const { journeySkewMs } = await this.settings(tenantId);
    const visits = await this.repository.visits(tenantId, from, to, cameraIds, MAX_JOURNEY_VISITS + 1);
    if (visits.length > MAX_JOURNEY_VISITS) {
      throw new InvalidInputError(`to: more than ${MAX_JOURNEY_VISITS} zone visits in the range; shorten it or choose cameras`, { field: 'to', limit: MAX_JOURNEY_VISITS });
    }
    return { journeys: buildJourneys(visits, { skewMs: journeySkewMs }), skewMs: journeySkewMs };
  }
}
