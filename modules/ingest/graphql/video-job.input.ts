import { z } from 'zod';

/** Manifests above this many characters are refused (about 9,000+ rows of long paths fit). */
export const MANIFEST_MAX_CHARS = 8_000_000;

export const ImportManifestSchema = z.object({
  csv: z.string().min(1, 'the manifest is empty').max(MANIFEST_MAX_CHARS, `the manifest is larger than ${MANIFEST_MAX_CHARS} characters: split it`),
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullish()
    .transform((v) => v ?? 'manifest.csv'),
});

/** `resumeVideoJobs(orphanedAfterSeconds)`: at least 0, at most a day. */
export const OrphanedAfterSchema = z.number().int().min(0).max(86_400).nullish();
