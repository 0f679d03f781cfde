import { describe, expect, it } from 'vitest';
import { PushQueue } from '../src/index.js';

describe('a push queue', () => {
  it('hands values out in order, to a reader that waits for them or reads them later', async () => {
    const queue = new PushQueue<number>();
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(0);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(queue.size).toBe(2);
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 0, done: false });
  });

  it('ends after what is queued; with an error, the error comes after the queued values, once', async () => {
    const queue = new PushQueue<string>();
    queue.push('a');
    queue.end(new Error('too slow'));
    queue.push('ignored');
    expect(await queue.next()).toEqual({ value: 'a', done: false });
    await expect(queue.next()).rejects.toThrow('too slow');
    expect(await queue.next()).toEqual({ value: undefined, done: true });

    const idle = new PushQueue<string>();
    const reader = idle.next();
    idle.end();
    expect(await reader).toEqual({ value: undefined, done: true });
  });

  it('drops what is queued when the reader returns, and tells a subclass it ended once', async () => {
    const ends: unknown[] = [];
    class Counted extends PushQueue<number> {
      override end(error?: unknown): void {
        if (this.isEnded) return;
        super.end(error);
        ends.push(error ?? 'done');
      }
    }
    const queue = new Counted();
    queue.push(1);
    expect(await queue.return()).toEqual({ value: undefined, done: true });
    queue.end(new Error('late'));
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(ends).toEqual(['done']);
  });
});
