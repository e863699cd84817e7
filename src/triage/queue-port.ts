import { enqueue, type Queues } from '../queue/index.js';
import type { KeyedNotifyJob } from './service.js';

/** Wires `enqueueNotify` to the notify queue: each job keeps its id, so BullMQ drops repeats. */
export function notifyPortFromQueue(queue: Queues['notify']): (jobs: KeyedNotifyJob[]) => Promise<void> {
  return async (jobs) => {
    for (const { job, jobId } of jobs) await enqueue(queue, job, { opts: { jobId } });
  };
}
