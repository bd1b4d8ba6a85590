import autocannon from 'autocannon';

export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  /** The answer every request must get, byte for byte; any other body counts as a mismatch. */
  readonly expectBody: string;
}

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly body: string;
  readonly token: string;
}

export interface RunResult {
  readonly gateway: string;
  readonly round: number;
  /** Mean of autocannon's per-second request counts. */
  readonly requestsPerSecond: number;
  readonly totalRequests: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly mismatches: number;
}

function fire(target: LoadTarget, settings: LoadSettings, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.token}` },
    body: settings.body,
    connections: settings.connections,
    duration: seconds,
    expectBody: target.expectBody,
    // The load generator runs on its own thread, so it does not share an event loop with the servers.
    workers: 1,
  });
}

/**
 * Interleaved rounds: each round runs every target in turn (a, b, c, a, b, c, …), each after its own short
 * warm-up, so drift on a shared machine spreads across all of them.
 */
export async function runRounds(
  targets: readonly LoadTarget[],
  settings: LoadSettings,
  log: (line: string) => void,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of targets) {
      if (settings.warmupSeconds > 0) await fire(target, settings, settings.warmupSeconds);
      const r = await fire(target, settings, settings.durationSeconds);
      const result: RunResult = {
        gateway: target.name,
        round,
        requestsPerSecond: r.requests.average,
        totalRequests: r.requests.total,
        latencyP50Ms: r.latency.p50,
        latencyP99Ms: r.latency.p99,
        latencyMaxMs: r.latency.max,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        mismatches: r.mismatches,
      };
      results.push(result);
      log(
        `  round ${round} ${target.name.padEnd(8)} ${result.requestsPerSecond.toFixed(1).padStart(8)} req/s` +
          `  p50 ${result.latencyP50Ms} ms  p99 ${result.latencyP99Ms} ms` +
          `  errors ${result.errors} timeouts ${result.timeouts} non-2xx ${result.non2xx} mismatches ${result.mismatches}`,
      );
    }
  }
  return results;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface GatewaySummary {
  readonly gateway: string;
  readonly requestsPerSecond: readonly number[];
  readonly medianRequestsPerSecond: number;
  /** Median over the rounds of each round's p50 / p99. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Errors + timeouts + non-2xx + body mismatches, over every round. */
  readonly failures: number;
}

export function summarise(names: readonly string[], results: readonly RunResult[]): GatewaySummary[] {
  return names.map((gateway) => {
    const runs = results.filter((r) => r.gateway === gateway);
    return {
      gateway,
      requestsPerSecond: runs.map((r) => r.requestsPerSecond),
      medianRequestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
      latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
      failures: runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx + r.mismatches, 0),
    };
  });
}

/** A plain-text table: req/s per round, their median, p50/p99 and failures per gateway. */
export function table(summaries: readonly GatewaySummary[]): string {
  const rounds = Math.max(...summaries.map((s) => s.requestsPerSecond.length));
  const header = [
    'gateway',
    ...Array.from({ length: rounds }, (_, i) => `r${i + 1} req/s`),
    'median req/s',
    'p50 ms',
    'p99 ms',
    'errors',
  ];
  const rows = summaries.map((s) => [
    s.gateway,
    ...Array.from({ length: rounds }, (_, i) => s.requestsPerSecond[i]?.toFixed(1) ?? ''),
    s.medianRequestsPerSecond.toFixed(1),
    String(s.latencyP50Ms),
    String(s.latencyP99Ms),
    String(s.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
