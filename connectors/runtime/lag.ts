import type { Admin, Kafka } from 'kafkajs';
import { topics, type AgencyFamily } from '@mash/schema';
import { familiesOfConnectorGroup } from './naming';

/** How long a source system's lag is kept before the broker is asked again. */
const LAG_TTL_MS = 5_000;

/**
 * Consumer lag of a source system's topic: the records on it that the connector has not yet consumed (the partitions'
 * end offsets minus the committed offsets of the connector group reading its family), asked of the broker, so it is
 * right even while no connector runs. Several groups reading the family (an old deployment's among them): the active
 * ones count, and of those the one furthest behind. Answers are kept for a few seconds.
 */
export class ConsumerLagReader {
  private admin: Promise<Admin> | undefined;
  private readonly cache = new Map<string, { readonly value: number | null; readonly until: number }>();

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records not yet consumed on this source system's topic; null when unknown (no such topic, no connector group). */
  async ofSourceSystem(family: AgencyFamily, code: string): Promise<number | null> {
    const topic = topics(this.topicPrefix).agency(family, code);
    const hit = this.cache.get(topic);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await this.read(topic, family);
    this.cache.set(topic, { value, until: this.now() + LAG_TTL_MS });
    return value;
  }

  /** The source system topics of these families that exist now, as family and code. */
  async sourceSystemTopics(
    families: readonly AgencyFamily[],
  ): Promise<{ family: AgencyFamily; sourceSystem: string }[]> {
    const names = topics(this.topicPrefix);
    const admin = await this.connected();
    return (await admin.listTopics())
      .map((t) => names.agencyTopic(t))
      .filter(
        (t): t is { family: AgencyFamily; sourceSystem: string } => t !== null && families.includes(t.family),
      )
      .sort((a, b) => a.sourceSystem.localeCompare(b.sourceSystem));
  }

  async stop(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await (await admin.catch(() => null))?.disconnect();
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }

  private async read(topic: string, family: AgencyFamily): Promise<number | null> {
    const admin = await this.connected();
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => familiesOfConnectorGroup(this.topicPrefix, g)?.includes(family));
    if (groups.length === 0) return null;
    const active = (await admin.describeGroups(groups)).groups
      .filter((g) => g.members.length > 0)
      .map((g) => g.groupId);
    let ends: Awaited<ReturnType<Admin['fetchTopicOffsets']>>;
    try {
      ends = await admin.fetchTopicOffsets(topic);
    } catch {
      return null; // the topic does not exist (yet)
    }
    const lags = await Promise.all(
      (active.length > 0 ? active : groups).map(async (groupId) => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        return ends.reduce((sum, e) => {
          const done = at.get(e.partition) ?? -1;
          return sum + Math.max(0, Number(e.high) - (done >= 0 ? done : Number(e.low)));
        }, 0);
      }),
    );
    return Math.max(...lags);
  }
}
