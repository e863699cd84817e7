/** Queue layer: queue names, the job catalog, queue creation, enqueueing and poll schedulers. */
export {
  QUEUE_NAMES,
  JOB_CATALOG,
  defaultJobOptions,
  parseJobData,
  jobIdFor,
  postJobId,
  type QueueName,
  type JobPayloads,
  type PollPayload,
  type AnalyzePayload,
  type NotifyPayload,
} from './catalog.js';
export {
  createQueues,
  closeQueues,
  enqueue,
  QueueUnavailableError,
  type Queues,
  type EnqueueOptions,
  type CreateQueuesOptions,
} from './queues.js';
export {
  syncSchedulers,
  scheduleSource,
  schedulerIdFor,
  scheduleOffsetMs,
  POLL_SCHEDULER_PREFIX,
  type SyncSchedulersOptions,
  type SyncSchedulersResult,
  type ScheduledSource,
} from './schedulers.js';
export { createWorkerOptions, WORKER_DEFAULTS, type WorkerOptionsInput } from './worker-options.js';
