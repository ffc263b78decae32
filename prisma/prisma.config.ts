// Used only by the Prisma CLI (`prisma generate`). The datasource URL is a placeholder: the
// runtime client connects through @prisma/adapter-pg with the configured DATABASE_URL.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
