import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/infra/index.js';

describe('createMetrics', () => {
  it('exposes every named instrument under the refwatch_ prefix', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.pollsTotal.inc({ source: 'unhcr', outcome: 'ok' });
    metrics.pollsTotal.inc({ source: 'unhcr', outcome: 'ok' });
    metrics.pollErrorsTotal.inc({ source: 'hrw', code: 'timeout' });
    metrics.itemsTotal.inc({ source: 'unhcr' }, 3);
    metrics.decisionsTotal.inc({ decision: 'alert' });
    metrics.alertsPostedTotal.inc({ target: 'discord:123' });
    metrics.deliveryFailuresTotal.inc({ target: 'slack:#alerts', kind: 'retry' });
    metrics.alertLatencySeconds.observe({ from: 'published' }, 42);
    metrics.alertLatencySeconds.observe({ from: 'discovered' }, 3);

    const text = await metrics.render();
    expect(text).toContain('refwatch_polls_total{source="unhcr",outcome="ok"} 2');
    expect(text).toContain('refwatch_poll_errors_total{source="hrw",code="timeout"} 1');
    expect(text).toContain('refwatch_items_total{source="unhcr"} 3');
    expect(text).toContain('refwatch_decisions_total{decision="alert"} 1');
    expect(text).toContain('refwatch_alerts_posted_total{target="discord:123"} 1');
    expect(text).toContain('refwatch_delivery_failures_total{target="slack:#alerts",kind="retry"} 1');
    expect(text).toContain('refwatch_alert_latency_seconds_bucket{le="60",from="published"} 1');
    expect(text).toContain('refwatch_alert_latency_seconds_count{from="discovered"} 1');
    expect(text).toContain('# TYPE refwatch_queue_depth gauge');
    expect(text).toContain('# TYPE refwatch_oldest_waiting_job_seconds gauge');
    expect(text).not.toContain('process_cpu');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('keeps registries independent, so tests and processes can hold several', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.itemsTotal.inc({ source: 'only-a' });
    expect(await a.render()).toContain('only-a');
    expect(await b.render()).not.toContain('only-a');
    expect(await a.render()).toContain('refwatch_process_cpu_seconds_total');
  });
});
