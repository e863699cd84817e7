// Pure tests of the job catalog (no Redis); they live here because the queue layer owns this folder.
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { JOB_CATALOG, defaultJobOptions, jobIdFor, parseJobData, scheduleOffsetMs } from '../../../src/queue/index.js';

const item = {
  sourceId: 'unhcr',
  id: 'https://www.unhcr.org/news/1',
  title: 'China forcibly returns North Korean escapees',
  summary: 'Dozens were repatriated from Dandong.',
  published: '2026-04-01T08:00:00.000Z',
};

describe('parseJobData', () => {
  it('accepts valid payloads and returns them typed', () => {
    expect(parseJobData('poll', { sourceId: 'unhcr' })).toEqual({ sourceId: 'unhcr' });
    expect(parseJobData('analyze', { item, discoveredAt: '2026-04-01T08:05:00Z' }).item.title).toBe(item.title);
    expect(parseJobData('analyze', { item, discoveredAt: '2026-04-01T08:05:00Z', baseline: false }).baseline).toBe(false);
    expect(parseJobData('notify', { alertId: 'al_1', target: 'discord:123', action: 'edit' }).action).toBe('edit');
  });

  it.each([
    ['poll', {}, /sourceId/],
    ['poll', { sourceId: '' }, /sourceId/],
    ['analyze', { item: { ...item, title: 5 }, discoveredAt: '2026-04-01T08:05:00Z' }, /item\.title/],
    ['analyze', { item, discoveredAt: 'yesterday' }, /discoveredAt/],
    ['analyze', { item, discoveredAt: '2026-04-01T08:05:00Z', baseline: true }, /baseline/],
    ['notify', { alertId: 'a', target: 'telegram:1', action: 'post' }, /target must be/],
    ['notify', { alertId: 'a', target: 'console', action: 'delete' }, /action/],
    ['notify', null, /\(root\)/],
  ] as const)('throws UnrecoverableError for a bad %s payload %j', (name, data, message) => {
    let caught: unknown;
    try {
      parseJobData(name, data);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnrecoverableError);
    expect((caught as Error).message).toMatch(new RegExp(`^Invalid ${name} job payload`));
    expect((caught as Error).message).toMatch(message);
  });

  it('rejects an unknown job name as unrecoverable', () => {
    expect(() => parseJobData('digest' as 'poll', {})).toThrow(UnrecoverableError);
  });
});

describe('job options', () => {
  it('gives notify 8 attempts with 2 s exponential backoff and bounded retention', () => {
    expect(defaultJobOptions('notify')).toEqual({
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 86_400, count: 10_000 },
      removeOnFail: { age: 604_800 },
    });
  });

  it('returns copies, so callers cannot change the catalog', () => {
    const options = defaultJobOptions('notify');
    options.attempts = 1;
    expect(JOB_CATALOG.notify.options.attempts).toBe(8);
  });

  it('never puts deduplication in any template', () => {
    for (const name of ['poll', 'analyze', 'notify'] as const) expect(defaultJobOptions(name)).not.toHaveProperty('deduplication');
  });
});

describe('jobIdFor', () => {
  it('is stable, prefixed, colon-free and never all digits', () => {
    const id = jobIdFor('it', 'unhcr', 'https://www.unhcr.org/news/1');
    expect(id).toBe(jobIdFor('it', 'unhcr', 'https://www.unhcr.org/news/1'));
    expect(id).toMatch(/^it_[0-9a-f]{40}$/);
    expect(jobIdFor('n', 1, 2)).not.toMatch(/^\d+$/);
    expect(jobIdFor('it', 'a', 'bc')).not.toBe(jobIdFor('it', 'ab', 'c'));
  });

  it('refuses kinds BullMQ would choke on', () => {
    expect(() => jobIdFor('a:b', 'x')).toThrow(TypeError);
    expect(() => jobIdFor('123', 'x')).toThrow(TypeError);
    expect(() => jobIdFor('', 'x')).toThrow(TypeError);
  });
});

describe('scheduleOffsetMs', () => {
  it('is deterministic and inside the interval', () => {
    for (let i = 0; i < 200; i += 1) {
      const offset = scheduleOffsetMs(`poll:s${i}`, 900_000);
      expect(offset).toBe(scheduleOffsetMs(`poll:s${i}`, 900_000));
      expect(offset).toBeGreaterThanOrEqual(1);
      expect(offset).toBeLessThan(900_000);
    }
  });
});
