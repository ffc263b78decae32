import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import { createSystemDb, createTenantDbFactory } from '@trinetra/db';
import { FileVideoProcessor } from '@trinetra/ingest';
import { idlePipelineView } from '@trinetra/tracking';
import { createAppServices } from '../app/app-services';
import { loadConfig } from '../config/config';

/** Publishing and subscribing are never used while a schema is only built and printed. */
const unusedPubSub: PubSub = {
  publish: () => {
    throw new Error('print-schema publishes nothing');
  },
  subscribe: () => {
    throw new Error('print-schema subscribes to nothing');
  },
};

/**
 * The schema as SDL, in declaration order (enum values keep their meaningful order). Builds the same
 * services as the server (no connection is opened: nothing is queried) with an idle pipeline.
 */
export async function printTrinetraSchema(): Promise<string> {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'print-schema-only-0123456789abcdef0123456789',
    DATA_DIR: path.join(__dirname, '..', '..', '.trinetra'),
  });
  const db = createSystemDb({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
  try {
    const { schema } = await createAppServices({
      config,
      db,
      tenantDb: createTenantDbFactory(db),
      pubSub: unusedPubSub,
      createPipeline: () => ({ runtime: null, view: idlePipelineView, videoProcessor: new FileVideoProcessor() }),
    });
    return `${printSchema(schema)}\n`;
  } finally {
    await db.$disconnect();
  }
}

/** `npm run schema:print`: writes web/lib/generated/schema.graphql, the input of the dashboard's type generation. */
if (require.main === module) {
  const out = path.resolve(__dirname, '../../../web/lib/generated/schema.graphql');
  printTrinetraSchema().then(
    (sdl) => {
      writeFileSync(out, sdl);
      console.log(`wrote ${path.relative(process.cwd(), out)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
