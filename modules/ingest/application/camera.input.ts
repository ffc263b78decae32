import { z } from 'zod';
import { hasControlCharacters } from '../domain/media-roots';
import { CAMERA_PERCEPTIONS, CAMERA_SOURCE_KINDS, CAMERA_TIERS } from '@trinetra/shared';

const base = {
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
  purpose: z.string().trim().min(1).max(50).regex(/^[a-z0-9_-]+$/i, 'purpose must be a short word such as entrance or coaching'),
  tier: z.enum(CAMERA_TIERS),
  sourceKind: z.enum(CAMERA_SOURCE_KINDS),
  sourceUrl: z
    .string()
    .trim()
    .max(2048, 'sourceUrl is too long')
    // CR/LF would smuggle commands into line protocols (gopher -> Redis); no path or URL has them.
    .refine((v) => !hasControlCharacters(v), 'sourceUrl must not contain control characters')
    .nullable(),
  targetFps: z.number().gt(0, 'targetFps must be above 0').max(60, 'targetFps must be at most 60'),
  perception: z.enum(CAMERA_PERCEPTIONS),
  tiled: z.boolean(),
  identity: z.boolean(),
};

/** A camera's source must say where frames come from when the kind needs it. */
function requireUrlFor(value: { sourceKind?: string | undefined; sourceUrl?: string | null | undefined }, ctx: z.RefinementCtx): void {
  if ((value.sourceKind === 'FILE' || value.sourceKind === 'NETWORK') && !value.sourceUrl) {
    ctx.addIssue({ code: 'custom', path: ['sourceUrl'], message: `sourceUrl is required for ${value.sourceKind} cameras` });
  }
}

/** Tiles are a SCENE setting (the detector's); a close-up has no detector to tile. */
function tiledOnlyForScene(value: { perception?: string | undefined; tiled?: boolean | undefined }, ctx: z.RefinementCtx): void {
  if (value.tiled === true && value.perception !== undefined && value.perception !== 'SCENE') {
    ctx.addIssue({ code: 'custom', path: ['tiled'], message: 'tiled is a SCENE setting: set perception to SCENE or leave tiled out' });
  }
}

/**
 * A new camera. Perception is optional: the service defaults it from the source kind
 * (`defaultPerceptionFor` in modules/shared), and checks `tiled` against the result.
 */
export const CameraInputSchema = z
  .object({
    ...base,
    purpose: base.purpose.default('general'),
    tier: base.tier.default('STANDARD'),
    sourceUrl: base.sourceUrl.optional(),
    targetFps: base.targetFps.default(10),
    perception: base.perception.optional(),
    tiled: base.tiled.optional(),
    identity: base.identity.optional(),
  })
  .superRefine(requireUrlFor)
  .superRefine(tiledOnlyForScene);

export const CameraPatchSchema = z.object({
  name: base.name.optional(),
  purpose: base.purpose.optional(),
  tier: base.tier.optional(),
  sourceKind: base.sourceKind.optional(),
  sourceUrl: base.sourceUrl.optional(),
  targetFps: base.targetFps.optional(),
  perception: base.perception.optional(),
  tiled: base.tiled.optional(),
  identity: base.identity.optional(),
}).superRefine(tiledOnlyForScene);

export type CameraInput = z.infer<typeof CameraInputSchema>;
export type CameraPatch = z.infer<typeof CameraPatchSchema>;
