import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; child loggers add `requestId` and `tenantId`. Secrets never go through here. */
export function createLogger(level: string, name = 'trinetra'): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.password', '*.secret', '*.refreshToken', '*.accessToken'], censor: '[redacted]' },
  });
}
