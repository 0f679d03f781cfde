import { GraphQLError, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { PushQueue } from '@commerce/events';
import type { SubscriptionContext } from './context.js';
import { EntityNotVisibleError } from './entity-resolution.js';

/** Results a subscriber may have waiting before it counts as too slow and is dropped. */
const MAX_QUEUED = 1_000;

/** One subscriber's view of a shared execution: its own queue of the group's results. */
class Member extends PushQueue<ExecutionResult> {
  constructor(private readonly leave: (member: Member) => void) {
    super();
  }

  deliver(result: ExecutionResult): void {
    this.push(result);
    if (this.size > MAX_QUEUED) {
      this.end(
        new GraphQLError(
          'This subscription fell too far behind (its client reads too slowly); subscribe again with afterSequence.',
          {
            extensions: { code: 'SLOW_CONSUMER' },
          },
        ),
      );
    }
  }

  /** Ends the subscription after what is queued, with an error if given, and leaves the group. */
  override end(error?: unknown): void {
    if (this.isEnded) return;
    super.end(error);
    this.leave(this);
  }
}

/** Whether a result is an event its subscribers may not see (its entity is hidden from them). */
function undeliverable(result: ExecutionResult): boolean {
  return result.errors?.some((error) => error.originalError instanceof EntityNotVisibleError) ?? false;
}

/** One execution of a subscription whose results go to every member. */
class Group {
  private readonly members = new Set<Member>();
  private started = false;
  closed = false;

  constructor(
    private readonly source: AsyncIterator<ExecutionResult>,
    private readonly onClose: () => void,
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** A new member; the first one starts the execution, so it misses nothing. */
  join(): Member {
    const member = new Member((left) => this.leave(left));
    this.members.add(member);
    if (!this.started) {
      this.started = true;
      void this.pump();
    }
    return member;
  }

  private leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    void this.source.return?.();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.source.next();
        if (done || this.closed) break;
        if (undeliverable(value)) continue;
        for (const member of this.members) member.deliver(value);
      }
      for (const member of [...this.members]) member.end();
    } catch (error) {
      for (const member of [...this.members]) member.end(error);
    } finally {
      this.close();
    }
  }
}

interface SharedEntry {
  group: Promise<Group | ExecutionResult>;
}

/**
 * Executes subscriptions, sharing one execution among subscriptions with the same share key
 * (same document, variables and credentials): an event is resolved, and its entity queried
 * through the gateway, once per group rather than once per subscriber. Replays are never shared.
 */
export class SubscriptionHub {
  private readonly shared = new Map<string, SharedEntry>();
  private readonly groups = new Set<Group>();
  private joined = 0;

  /** Subscriptions started since the process started (each listening from then on). */
  get started(): number {
    return this.joined;
  }

  /** Subscriptions open now. */
  get subscriptions(): number {
    let count = 0;
    for (const group of this.groups) count += group.size;
    return count;
  }

  /** Executions open now (each serves one or more subscriptions). */
  get executions(): number {
    return this.groups.size;
  }

  async subscribe(
    args: ExecutionArgs & { contextValue: SubscriptionContext },
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const key = args.contextValue.shareKey;
    for (;;) {
      let entry = key === null ? undefined : this.shared.get(key);
      if (!entry) {
        const created: SharedEntry = {
          group: this.execute(args, () => key !== null && this.shared.get(key) === created && this.shared.delete(key)),
        };
        entry = created;
        if (key !== null) this.shared.set(key, created);
      }
      const group = await entry.group;
      if (!(group instanceof Group)) {
        if (key !== null && this.shared.get(key) === entry) this.shared.delete(key);
        return group;
      }
      // A group whose last member left a moment ago is closed: start another.
      if (!group.closed) {
        this.joined += 1;
        return group.join();
      }
      if (key !== null && this.shared.get(key) === entry) this.shared.delete(key);
    }
  }

  private async execute(args: ExecutionArgs, onClose: () => void): Promise<Group | ExecutionResult> {
    const result = await subscribe(args);
    if (!(Symbol.asyncIterator in result)) return result;
    const group: Group = new Group(result, () => {
      this.groups.delete(group);
      onClose();
    });
    this.groups.add(group);
    return group;
  }
}
