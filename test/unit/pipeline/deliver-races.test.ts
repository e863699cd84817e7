/**
 * Two notify jobs editing one message at once (notify concurrency, several processes): the
 * message must end up showing the latest stored alert, whatever order the edits land in.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { classifyDeliveryFailure, type Notifier } from '../../../src/notify/index.js';
import { deliverAlert, type DeliverDeps } from '../../../src/pipeline/index.js';
import { createMemoryAlertStore, createMemoryTargetStateStore } from '../../../src/store/index.js';
import { makeAlert, opsLog } from './support.js';

const D = 'discord:111111111111111111';

/** A notifier that keeps what each message shows, in the order edits land; the first edit can be held. */
function landingNotifier() {
  const shown = new Map<string, Alert>();
  const hold: { firstEdit?: () => Promise<void> } = {};
  let edits = 0;
  const notifier: Notifier = {
    platform: 'discord',
    post: () => Promise.reject(new Error('no posts in this test')),
    async edit(_channel, messageId, alert) {
      edits += 1;
      if (edits === 1 && hold.firstEdit) await hold.firstEdit();
      shown.set(messageId, alert);
    },
  };
  return { notifier, shown, hold };
}

describe('deliverAlert: concurrent edits of one message', () => {
  it('ends on the latest alert when an older edit lands after a newer one (no buttons back after a dismissal)', async () => {
    const alerts = createMemoryAlertStore();
    const open = makeAlert();
    await alerts.save(open);
    await alerts.markPosted(open.id, D, 'm1');
    const { notifier, shown, hold } = landingNotifier();
    const deps: DeliverDeps = {
      alerts,
      targets: createMemoryTargetStateStore(),
      notifiers: { discord: notifier },
      routes: [{ when: { decision: 'alert' }, to: [D] }],
      classifyFailure: classifyDeliveryFailure,
      warnOps: opsLog().warnOps,
    };
    const dismissed: Alert = { ...open, triage: { status: 'dismissed', by: 'mod', at: '2026-03-01T12:00:00.000Z', reason: 'off-topic' } };
    // Job A read the open alert and its edit is slow; meanwhile a moderator dismisses and job B's edit lands first.
    hold.firstEdit = async () => {
      await alerts.save(dismissed);
      await deliverAlert(deps, { alertId: open.id, target: D, action: 'edit' });
    };

    await deliverAlert(deps, { alertId: open.id, target: D, action: 'edit' });

    expect(shown.get('m1')?.triage).toEqual(dismissed.triage);
  });
});
