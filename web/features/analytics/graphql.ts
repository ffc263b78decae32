/** GraphQL documents and types of the analytics area (align with the server schema here). */
import { gql } from 'urql';

export type ZoneKind = 'AREA' | 'LINE';
export type StatsBucket = 'MINUTE' | 'HOUR' | 'DAY';

export interface Zone {
  id: string;
  name: string;
  kind: ZoneKind;
  /** [x, y] in 0..1 of the image. */
  polygon: number[][];
}

export const ZONES_QUERY = gql`
  query Zones($cameraId: ID!) {
    zones(cameraId: $cameraId) {
      id
      name
      kind
      polygon
    }
  }
`;
export interface ZonesResult {
  zones: Zone[];
}

export const UPSERT_ZONE_MUTATION = gql`
  mutation UpsertZone($input: UpsertZoneInput!) {
    upsertZone(input: $input) {
      id
      name
      kind
      polygon
    }
  }
`;
export const DELETE_ZONE_MUTATION = gql`
  mutation DeleteZone($id: ID!) {
    deleteZone(id: $id) {
      id
    }
  }
`;

export const ZONE_STATS_QUERY = gql`
  query ZoneStats($zoneId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $bucket: StatsBucket!) {
    zoneStats(zoneId: $zoneId, from: $from, to: $to, bucket: $bucket) {
      zoneId
      entries
      exits
      occupancyMax
      liveOccupancy
      buckets {
        start
        entries
        exits
        occupancyMax
        occupancyMean
        dwellMeanSeconds
        dwellP90Seconds
      }
    }
  }
`;
export interface ZoneStatsBucket {
  start: string;
  entries: number;
  exits: number;
  occupancyMax: number;
  occupancyMean: number;
  dwellMeanSeconds: number | null;
  dwellP90Seconds: number | null;
}
export interface ZoneStatsResult {
  zoneStats: { zoneId: string; entries: number; exits: number; occupancyMax: number; liveOccupancy: number | null; buckets: ZoneStatsBucket[] };
}

export const LINE_COUNTS_QUERY = gql`
  query LineCounts($lineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $bucket: StatsBucket!) {
    lineCounts(lineId: $lineId, from: $from, to: $to, bucket: $bucket) {
      lineId
      in
      out
      buckets {
        start
        in
        out
      }
    }
  }
`;
export interface LineCountsResult {
  lineCounts: { lineId: string; in: number; out: number; buckets: { start: string; in: number; out: number }[] };
}

export const HEATMAP_QUERY = gql`
  query Heatmap($cameraId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    heatmap(cameraId: $cameraId, from: $from, to: $to) {
      cols
      rows
      cells
      max
      total
    }
  }
`;
export interface Heatmap {
  cols: number;
  rows: number;
  cells: number[];
  max: number;
  total: number;
}
export interface HeatmapResult {
  heatmap: Heatmap;
}

export const ZONE_STATS_UPDATED_SUBSCRIPTION = gql`
  subscription ZoneStatsUpdated($cameraId: ID!) {
    zoneStatsUpdated(cameraId: $cameraId) {
      zoneId
      kind
      occupancy
      entries
      exits
      in
      out
      at
    }
  }
`;
export interface ZoneStatsUpdate {
  zoneId: string;
  kind: string;
  occupancy: number;
  entries: number;
  exits: number;
  in: number;
  out: number;
  at: string;
}
export interface ZoneStatsUpdatedResult {
  zoneStatsUpdated: ZoneStatsUpdate;
}

/** Frame rules (LOITERING, OCCUPANCY) and identity rules (VIP_ARRIVAL, REPEAT_VISITOR). */
export type AlertRuleKind = 'LOITERING' | 'OCCUPANCY' | 'VIP_ARRIVAL' | 'REPEAT_VISITOR';

export interface Alert {
  id: string;
  kind: AlertRuleKind;
  cameraId: string;
  zoneId: string;
  trackId: number | null;
  value: number;
  threshold: number;
  message: string;
  raisedAt: string;
  acknowledgedAt: string | null;
}

export const ALERTS_QUERY = gql`
  query Alerts($acknowledged: Boolean, $after: String) {
    alerts(first: 50, acknowledged: $acknowledged, after: $after) {
      edges {
        node {
          id
          kind
          cameraId
          zoneId
          trackId
          value
          threshold
          message
          raisedAt
          acknowledgedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
export interface AlertsResult {
  alerts: { edges: { node: Alert }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const ACKNOWLEDGE_ALERT_MUTATION = gql`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      acknowledgedAt
    }
  }
`;

export const ALERT_RAISED_SUBSCRIPTION = gql`
  subscription AlertRaised {
    alertRaised {
      id
      kind
    }
  }
`;

export interface AlertRule {
  id: string;
  zoneId: string;
  name: string;
  kind: AlertRuleKind;
  threshold: number;
  enabled: boolean;
}
export const ALERT_RULES_QUERY = gql`
  query AlertRules($cameraId: ID) {
    alertRules(cameraId: $cameraId) {
      id
      zoneId
      name
      kind
      threshold
      enabled
    }
  }
`;
export interface AlertRulesResult {
  alertRules: AlertRule[];
}
export const CREATE_ALERT_RULE_MUTATION = gql`
  mutation CreateAlertRule($input: CreateAlertRuleInput!) {
    createAlertRule(input: $input) {
      id
      zoneId
      name
      kind
      threshold
      enabled
    }
  }
`;
export const DELETE_ALERT_RULE_MUTATION = gql`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id) {
      id
    }
  }
`;

export const ZONE_TRANSITIONS_QUERY = gql`
  query ZoneTransitions($cameraId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    zoneTransitions(cameraId: $cameraId, from: $from, to: $to) {
      fromZoneId
      toZoneId
      count
    }
  }
`;
export interface ZoneTransitionsResult {
  zoneTransitions: { fromZoneId: string; toZoneId: string; count: number }[];
}

/** Sankey data across cameras (identity's person key, the tenant's clock-skew tolerance). */
export const JOURNEY_FLOWS_QUERY = gql`
  query JourneyFlows($from: DateTimeISO!, $to: DateTimeISO!, $cameraIds: [ID!]) {
    journeyFlows(from: $from, to: $to, cameraIds: $cameraIds) {
      nodes {
        cameraId
        zoneId
        visits
      }
      links {
        fromZoneId
        toZoneId
        count
        medianTransitSeconds
      }
      journeys
      skewSeconds
    }
  }
`;
export interface JourneyFlowsResult {
  journeyFlows: {
    nodes: { cameraId: string; zoneId: string; visits: number }[];
    links: { fromZoneId: string; toZoneId: string; count: number; medianTransitSeconds: number }[];
    journeys: number;
    skewSeconds: number;
  };
}

export interface AnalyticsSettings {
  retentionDays: number;
  journeySkewSeconds: number;
}
export const ANALYTICS_SETTINGS_QUERY = gql`
  query AnalyticsSettings {
    analyticsSettings {
      retentionDays
      journeySkewSeconds
    }
  }
`;
export interface AnalyticsSettingsResult {
  analyticsSettings: AnalyticsSettings;
}
export const UPDATE_ANALYTICS_SETTINGS_MUTATION = gql`
  mutation UpdateAnalyticsSettings($retentionDays: Int!, $journeySkewSeconds: Float!) {
    updateAnalyticsSettings(retentionDays: $retentionDays, journeySkewSeconds: $journeySkewSeconds) {
      retentionDays
      journeySkewSeconds
    }
  }
`;
