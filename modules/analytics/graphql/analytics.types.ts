import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, enumOf } from '@trinetra/shared';
import { ALERT_RULE_KINDS, type AlertRuleKind } from '../domain/alert-rules';
import { STATS_BUCKETS, type StatsBucket } from '../application/analytics-query.service';

export const StatsBucketEnum = enumOf(Object.keys(STATS_BUCKETS) as StatsBucket[]);
export const AlertRuleKindEnum = enumOf(ALERT_RULE_KINDS);
registerEnumType(StatsBucketEnum, { name: 'StatsBucket', description: 'Width of each bucket of a series (UTC).' });
registerEnumType(AlertRuleKindEnum, {
  name: 'AlertRuleKind',
  description: 'LOITERING: one person in the zone longer than threshold seconds. OCCUPANCY: more than threshold people in it.',
});

@ObjectType('ZoneStatsBucket')
export class ZoneStatsBucketGql {
  @Field(() => GraphQLISODateTime) start!: Date;
  @Field(() => Int, { description: 'Entries confirmed in the bucket (dated at the first frame inside).' }) entries!: number;
  @Field(() => Int, { description: 'Exits confirmed in the bucket (dated at the last frame inside).' }) exits!: number;
  @Field(() => Int) occupancyMax!: number;
  @Field(() => Float, { description: 'Mean people inside over the processed frames of the bucket.' }) occupancyMean!: number;
  @Field(() => Float, { nullable: true, description: 'Mean dwell of the visits that ended in the bucket, seconds.' }) dwellMeanSeconds!: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile dwell of the visits that ended in the bucket, seconds.' }) dwellP90Seconds!:
    number | null;
}

@ObjectType('ZoneStats')
export class ZoneStatsGql {
  @Field(() => ID) zoneId!: string;
  @Field(() => StatsBucketEnum) bucket!: StatsBucket;
  @Field(() => [ZoneStatsBucketGql]) buckets!: ZoneStatsBucketGql[];
  @Field(() => Int) entries!: number;
  @Field(() => Int) exits!: number;
  @Field(() => Int) occupancyMax!: number;
  @Field(() => Int, { nullable: true, description: 'People inside now, when the camera is analysed by the server answering.' }) liveOccupancy!: number | null;
}

@ObjectType('LineCountBucket')
export class LineCountBucketGql {
  @Field(() => GraphQLISODateTime) start!: Date;
  @Field(() => Int) in!: number;
  @Field(() => Int) out!: number;
}

@ObjectType('LineCounts')
export class LineCountsGql {
  @Field(() => ID) lineId!: string;
  @Field(() => StatsBucketEnum) bucket!: StatsBucket;
  @Field(() => [LineCountBucketGql]) buckets!: LineCountBucketGql[];
  @Field(() => Int, { description: 'Crossings from the left of the line (first point to second) to its right, as seen on the image.' }) in!: number;
  @Field(() => Int) out!: number;
}

@ObjectType('Heatmap')
export class HeatmapGql {
  @Field(() => ID) cameraId!: string;
  @Field(() => Int) cols!: number;
  @Field(() => Int) rows!: number;
  @Field(() => [Float], { description: 'Person-frames per cell, row-major (cols x rows over the image), from the foot points.' }) cells!: number[];
  @Field(() => Float) max!: number;
  @Field(() => Float) total!: number;
}

@ObjectType('ZoneTransitionCount')
export class ZoneTransitionCountGql {
  @Field(() => ID) fromZoneId!: string;
  @Field(() => ID) toZoneId!: string;
  @Field(() => Int) count!: number;
}

@ObjectType('AlertRule')
export class AlertRuleGql {
  @Field(() => ID) id!: string;
  @Field(() => ID) cameraId!: string;
  @Field(() => ID) zoneId!: string;
  @Field(() => String) name!: string;
  @Field(() => AlertRuleKindEnum) kind!: AlertRuleKind;
  @Field(() => Float, { description: 'Seconds (LOITERING) or people (OCCUPANCY).' }) threshold!: number;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType('Alert')
export class AlertGql {
  @Field(() => ID) id!: string;
  @Field(() => ID) ruleId!: string;
  @Field(() => ID) cameraId!: string;
  @Field(() => ID) zoneId!: string;
  @Field(() => AlertRuleKindEnum) kind!: AlertRuleKind;
  @Field(() => Int, { nullable: true }) trackId!: number | null;
  @Field(() => Float) value!: number;
  @Field(() => Float) threshold!: number;
  @Field(() => String) message!: string;
  @Field(() => GraphQLISODateTime, { description: 'When the rule fired (frame time).' }) raisedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) acknowledgedAt!: Date | null;
}

export const AlertConnection = ConnectionType(AlertGql, 'Alert');

@ObjectType('ZoneStatsUpdate')
export class ZoneStatsUpdateGql {
  @Field(() => ID) cameraId!: string;
  @Field(() => ID) zoneId!: string;
  @Field(() => String, { description: 'AREA or LINE.' }) kind!: string;
  @Field(() => Int) occupancy!: number;
  @Field(() => Int, { description: 'Since the previous update.' }) entries!: number;
  @Field(() => Int) exits!: number;
  @Field(() => Int) in!: number;
  @Field(() => Int) out!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@InputType()
export class CreateAlertRuleInput {
  @Field(() => ID) zoneId!: string;
  @Field(() => String) name!: string;
  @Field(() => AlertRuleKindEnum) kind!: AlertRuleKind;
  @Field(() => Float) threshold!: number;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
}

@InputType()
export class UpdateAlertRuleInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => Float, { nullable: true }) threshold?: number;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
}
