import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/infra/index.js';

// Fake secrets: a signing secret has no recognisable shape (32 hex), so only its key can tell.
const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const REDIS_PASSWORD = 'n0t-a-real-Pw-42';
const SLACK_BOT = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';

function captureLogger() {
  const chunks: Buffer[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), raw: () => Buffer.concat(chunks).toString('utf8') };
}

describe('createLogger: secrets outside the common shapes', () => {
  it('redacts the Slack signing secret by key, like the other environment secrets', () => {
    const { logger, raw } = captureLogger();
    logger.info({ env: { slackSigningSecret: SIGNING_SECRET, logLevel: 'info' } }, 'environment');
    logger.info({ slack: { signingSecret: SIGNING_SECRET } }, 'adapter options');
    logger.info({ slackSigningSecret: SIGNING_SECRET }, 'top level');
    expect(raw()).not.toContain(SIGNING_SECRET);
    expect(raw()).toContain('"logLevel":"info"');
  });

  it('masks printf-style arguments (%s, %j, %o), not only the merging object', () => {
    const { logger, raw } = captureLogger();
    logger.warn('redis at %s is down', `redis://default:${REDIS_PASSWORD}@redis.internal:6379`);
    logger.warn('options %j', { url: `redis://:${REDIS_PASSWORD}@h:6379`, auth: `Bearer ${SLACK_BOT}` });
    logger.warn({ job: 1 }, 'client %o', { headers: { authorization: `Bearer ${SLACK_BOT}` } });
    logger.warn('failure %s', new Error(`token ${SLACK_BOT} rejected`));
    const text = raw();
    expect(text).not.toContain(REDIS_PASSWORD);
    expect(text).not.toContain(SLACK_BOT);
    expect(text).toContain('redis.internal:6379');
    expect(text).toContain('rejected');
  });
});
