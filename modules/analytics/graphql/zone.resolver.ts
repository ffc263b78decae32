import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, Field, FieldResolver, Float, GraphQLISODateTime, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { type GraphQLContext, NotFoundError, UnauthenticatedError } from '@trinetra/shared';
import type { ZoneService } from '../application/zone.service';
import type { ZoneRow } from '../infra/zone.repository';

export enum ZoneKindEnum {
  AREA = 'AREA',
  LINE = 'LINE',
}
registerEnumType(ZoneKindEnum, { name: 'ZoneKind' });

/** The camera a zone belongs to, as other modules see it (no cross-module table access). */
export interface ZoneCameraRef {
  id: string;
  name: string;
}

/** Batch lookup of cameras by id for one tenant; the ingest module provides it. */
export type CameraNamesLookup = (tenantId: string, ids: readonly string[]) => Promise<ZoneCameraRef[]>;

@ObjectType()
export class ZoneCamera {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
export class Zone {
  @Field(() => ID) id!: string;
  @Field(() => ID) cameraId!: string;
  @Field(() => String) name!: string;
  @Field(() => ZoneKindEnum) kind!: ZoneKindEnum;
  @Field(() => [[Float]], { description: 'Points [x, y] in normalized image coordinates (0..1).' }) polygon!: number[][];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@InputType()
export class UpsertZoneInput {
  @Field(() => ID) cameraId!: string;
  @Field(() => String) name!: string;
  @Field(() => ZoneKindEnum, { nullable: true }) kind?: ZoneKindEnum;
  @Field(() => [[Float]]) polygon!: number[][];
}

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

function toGraphQL(row: ZoneRow): Zone {
  return { ...row, kind: row.kind as ZoneKindEnum, polygon: row.polygon as number[][] };
}

@Resolver(() => Zone)
export class ZoneResolver {
  constructor(
    private readonly service: ZoneService,
    private readonly cameraNames: CameraNamesLookup,
  ) {}

  @Authorized('cameras:read')
  @Query(() => [Zone])
  async zones(@Arg('cameraId', () => ID) cameraId: string, @Ctx() ctx: GraphQLContext): Promise<Zone[]> {
    if (!z.string().uuid().safeParse(cameraId).success) throw new NotFoundError('Camera', cameraId);
    return (await this.service.listForCamera(tenantOf(ctx), cameraId)).map(toGraphQL);
  }

  @Authorized('cameras:write')
  @Mutation(() => Zone, { description: 'Creates the zone, or replaces the one with the same name on that camera.' })
  async upsertZone(@Arg('input', () => UpsertZoneInput) input: UpsertZoneInput, @Ctx() ctx: GraphQLContext): Promise<Zone> {
    return toGraphQL(await this.service.upsert(tenantOf(ctx), input));
  }

  @Authorized('cameras:write')
  @Mutation(() => Zone)
  async deleteZone(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Zone> {
    if (!z.string().uuid().safeParse(id).success) throw new NotFoundError('Zone', id);
    return toGraphQL(await this.service.delete(tenantOf(ctx), id));
  }

  /** Batched per request: listing zones of many cameras costs one camera query. */
  @FieldResolver(() => ZoneCamera)
  async camera(@Root() zone: Zone, @Ctx() ctx: GraphQLContext): Promise<ZoneCamera> {
    const tenantId = tenantOf(ctx);
    const loader = ctx.loader('zone.cameraById', () => new DataLoader<string, ZoneCameraRef | null>(async (ids) => {
      const found = new Map((await this.cameraNames(tenantId, ids)).map((c) => [c.id, c]));
      return ids.map((id) => found.get(id) ?? null);
    }));
    const camera = await loader.load(zone.cameraId);
    if (!camera) throw new NotFoundError('Camera', zone.cameraId);
    return camera;
  }
}
