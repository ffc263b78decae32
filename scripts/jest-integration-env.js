// Integration tests reach the services found (or started) by scripts/test.js; when jest runs
// on its own, the local defaults apply.
process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
process.env.TEST_REDIS_URL ??= process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
