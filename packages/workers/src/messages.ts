// What the primary and its workers say to each other over node:cluster's IPC channel. Every
// message names its kind in `type`, under a prefix of its own: prom-client's metrics requests
// travel on the same channel.

/** A worker asks which worker it is. */
export const ROLE_REQUEST = 'commerce:worker-role-request';
/** The primary's answer: the worker's number. */
export const ROLE = 'commerce:worker-role';
/** A worker serves. */
export const SERVING = 'commerce:worker-serving';
/** A payload for every worker, sent to the primary, which passes it on. */
export const BROADCAST = 'commerce:worker-broadcast';

export type WorkerMessage =
  | { type: typeof ROLE_REQUEST }
  | { type: typeof ROLE; worker: number }
  | { type: typeof SERVING }
  | { type: typeof BROADCAST; topic: string; payload: unknown };

/** Whether `message` is ours, of kind `type`. */
export function isMessage<Type extends WorkerMessage['type']>(
  message: unknown,
  type: Type,
): message is Extract<WorkerMessage, { type: Type }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
