import { Arg, Authorized, Ctx, Field, Float, GraphQLISODateTime, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { type GraphQLContext, UnauthenticatedError } from '@trinetra/shared';
import type { PlanService } from '../application/plan.service';

@ObjectType({ description: "The tenant's plan." })
export class Plan {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) maxCameras!: number;
  @Field(() => Int, { description: 'Cameras streaming at once (checked at camera start).' }) maxConcurrentStreams!: number;
  @Field(() => Int) maxWebhookEndpoints!: number;
  @Field(() => Float, { description: 'Frames per calendar month (UTC) the plan includes.' }) monthlyFrameQuota!: number;
  @Field(() => Int, { description: 'Analyses created per calendar month (UTC).' }) monthlyAnalysisQuota!: number;
  @Field(() => Int, { description: 'API requests per minute (HTTP and graphql-ws), per tenant.' }) requestsPerMinute!: number;
}

@ObjectType({ description: 'A plan limit and what is used of it.' })
export class Quota {
  @Field(() => String, {
    description: 'cameras, webhook_endpoints (checked at create), concurrent_streams (at camera start), frames_per_month, analyses_per_month (monthly, metered).',
  })
  name!: string;
  @Field(() => Float) limit!: number;
  @Field(() => Float) used!: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When `used` starts again; null for counts.' }) resetsAt!: Date | null;
}

@ObjectType({ description: 'Usage of one meter on one UTC day, from the append-only ledger.' })
export class UsageDay {
  @Field(() => String, { description: 'YYYY-MM-DD (UTC).' }) day!: string;
  @Field(() => String, { description: 'frames_processed, webhook_deliveries or analyses_created.' }) meter!: string;
  @Field(() => Float) quantity!: number;
}

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

@Resolver()
export class PlanResolver {
  constructor(private readonly plans: PlanService) {}

  @Authorized('billing:read')
  @Query(() => Plan)
  async plan(@Ctx() ctx: GraphQLContext): Promise<Plan> {
    const row = await this.plans.plan(tenantOf(ctx));
    return { ...row, monthlyFrameQuota: Number(row.monthlyFrameQuota) };
  }

  @Authorized('billing:read')
  @Query(() => [Quota])
  quotas(@Ctx() ctx: GraphQLContext): Promise<Quota[]> {
    return this.plans.quotaViews(tenantOf(ctx));
  }

  @Authorized('billing:read')
  @Query(() => [UsageDay], { description: 'Metered usage per UTC day in [from, to) (at most 366 days).' })
  usage(@Arg('from', () => GraphQLISODateTime) from: Date, @Arg('to', () => GraphQLISODateTime) to: Date, @Ctx() ctx: GraphQLContext): Promise<UsageDay[]> {
    return this.plans.usage(tenantOf(ctx), from, to);
  }
}
