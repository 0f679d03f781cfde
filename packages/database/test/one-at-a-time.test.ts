// The background workers' own connections take one transaction or read at a time (OneAtATime):
// pieces given at once run one after another, in order, and a failure stops only its own piece.
import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../src/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('OneAtATime', () => {
  it('runs pieces given at once one after another, in the order given', async () => {
    const queue = new OneAtATime();
    const events: string[] = [];
    let running = 0;
    const piece = (name: string) => async () => {
      running += 1;
      expect(running).toBe(1);
      events.push(`${name} starts`);
      await tick();
      events.push(`${name} ends`);
      running -= 1;
      return name;
    };
    const answers = await Promise.all([queue.run(piece('a')), queue.run(piece('b')), queue.run(piece('c'))]);
    expect(answers).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('rejects a failed piece to its caller and runs the next one', async () => {
    const queue = new OneAtATime();
    const failed = queue.run(async () => {
      await tick();
      throw new Error('the connection broke');
    });
    const next = queue.run(async () => 'next');
    await expect(failed).rejects.toThrow('the connection broke');
    await expect(next).resolves.toBe('next');
  });

  it('tells when everything given so far has settled', async () => {
    const queue = new OneAtATime();
    let done = false;
    void queue.run(async () => {
      await tick();
      done = true;
    });
    await queue.settled();
    expect(done).toBe(true);
  });
});
