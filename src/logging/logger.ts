import winston from 'winston';

/**
 * The one root logger. JSON in production, readable in development, silent under jest unless
 * LOG_LEVEL is set. Log ids (tenant, object id, job id, event id), never tokens or contact bodies.
 */
export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? 'info',
  silent: process.env.JEST_WORKER_ID !== undefined && process.env.LOG_LEVEL === undefined,
  format:
    process.env.NODE_ENV === 'production'
      ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.errors({ stack: false }),
          winston.format.printf(({ timestamp, level, message, area, ...rest }) => {
            const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
            return `${timestamp} ${level}${area ? ` [${area}]` : ''} ${message}${extra}`;
          }),
        ),
  transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
});

/** A child logger for one area of the service (`webhooks`, `worker`, `hubspot`, …). */
export function childLogger(area: string, meta: Record<string, unknown> = {}): winston.Logger {
  return logger.child({ area, ...meta });
}
