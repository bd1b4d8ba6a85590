import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  BOARD_QUERY,
  BOARD_SUBSCRIPTION,
  DETAIL_QUERY,
  MARK_ALL_READ,
  MARK_READ,
  NOTIFICATIONS_QUERY,
  NOTIFICATION_SUBSCRIPTION,
  claimsOf,
  liveClient,
  query,
  type BoardEscalation,
  type BoardNotification,
  type EscalationDetail,
} from './api';

const STAGES = [1, 2, 3, 4] as const;
const STAGE_NAMES: Record<number, string> = {
  1: 'Stage 1 · practitioners',
  2: 'Stage 2 · line managers / DSLs',
  3: 'Stage 3 · heads of service',
  4: 'Stage 4 · partnership',
};
const TOKEN_KEY = 'mash-board-token';

const words = (code: string) => code.toLowerCase().replace(/_/g, ' ');
const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  });

/** "2 d 4 h left" or "overdue by 3 h": the time on a stage's clock. */
export function clockText(deadline: string | null, now: number): { text: string; overdue: boolean } {
  if (!deadline) return { text: 'no deadline at this stage', overdue: false };
  const ms = Date.parse(deadline) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return ms >= 0 ? { text: `${span} left`, overdue: false } : { text: `overdue by ${span}`, overdue: true };
}

function SignIn({ onToken, message }: { onToken: (t: string) => void; message?: string | undefined }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onToken(value.trim());
      }}
    >
      <h1>MASH escalation board</h1>
      <label for="token">Bearer token</label>
      <textarea id="token" rows={4} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Sign in</button>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}

function Card({ e, now, onOpen }: { e: BoardEscalation; now: number; onOpen: () => void }) {
  const clock = clockText(e.stageDeadline, now);
  return (
    <li
      class={`card${e.immediateRisk ? ' immediate' : ''}${clock.overdue ? ' overdue' : ''}`}
      data-escalation={e.id}
    >
      <button type="button" class="open" onClick={onOpen}>
        <strong>{words(e.ground)}</strong>
        {e.immediateRisk && <span class="badge">immediate risk</span>}
        <span class="agencies">
          {e.raisingAgency.name} → {e.receivingAgency.name}
        </span>
        <span class="clock">{clock.text}</span>
        <span class="status">{words(e.status)}</span>
      </button>
    </li>
  );
}

/** The signed-in person's notifications: newest first, unread ones marked, each can be read or opened. */
function Notifications({
  token,
  items,
  unread,
  onChange,
  onOpen,
}: {
  token: string;
  items: BoardNotification[];
  unread: number;
  onChange: (items: BoardNotification[], unread: number) => void;
  onOpen: (escalationId: string) => void;
}) {
  const [error, setError] = useState<string | undefined>();
  const markRead = (n: BoardNotification) =>
    query<{ markNotificationRead: { id: string; readAt: string } }>(token, MARK_READ, { id: n.id })
      .then((d) =>
        onChange(
          items.map((i) => (i.id === n.id ? { ...i, readAt: d.markNotificationRead.readAt } : i)),
          Math.max(0, unread - (n.readAt ? 0 : 1)),
        ),
      )
      .catch((err: Error) => setError(err.message));
  const markAll = () =>
    query<{ markAllNotificationsRead: number }>(token, MARK_ALL_READ, {})
      .then(() => {
        const at = new Date().toISOString();
        onChange(
          items.map((i) => (i.readAt ? i : { ...i, readAt: at })),
          0,
        );
      })
      .catch((err: Error) => setError(err.message));
  return (
    <section class="notifications" aria-label="Notifications">
      <h2>
        Notifications <span class="unread">{unread} unread</span>
      </h2>
      {unread > 0 && (
        <button type="button" class="mark-all" onClick={() => void markAll()}>
          Mark all read
        </button>
      )}
      {error && <p class="error">{error}</p>}
      {items.length === 0 && <p class="none">No notifications.</p>}
      <ul>
        {items.map((n) => (
          <li
            key={n.id}
            class={`notification${n.readAt ? '' : ' unread'}${n.immediateRisk ? ' immediate' : ''}`}
            data-notification={n.id}
          >
            <span class="when">
              {when(n.at)} · {words(n.eventType)}
            </span>
            <span class="message">{n.message}</span>
            <span class="actions">
              {n.escalation && (
                <button type="button" class="open-escalation" onClick={() => onOpen(n.escalation!.id)}>
                  Open
                </button>
              )}
              {!n.readAt && (
                <button type="button" class="mark-read" onClick={() => void markRead(n)}>
                  Mark read
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Detail({ token, id, onClose }: { token: string; id: string; onClose: () => void }) {
  const [detail, setDetail] = useState<EscalationDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    query<{ escalation: EscalationDetail }>(token, DETAIL_QUERY, { id })
      .then((d) => setDetail(d.escalation))
      .catch((err: Error) => setError(err.message));
  }, [token, id]);
  return (
    <aside class="detail" aria-label="Escalation detail">
      <button type="button" class="close" onClick={onClose}>
        Close
      </button>
      {error && <p class="error">{error}</p>}
      {!detail && !error && <p>Loading…</p>}
      {detail && (
        <>
          <h2>{detail.case.subject.displayName}</h2>
          {detail.outcome && <p>Outcome: {detail.outcome}</p>}
          <h3>History</h3>
          <ol>
            {detail.history.map((h) => (
              <li key={h.at + h.toStatus}>
                {when(h.at)}: stage {h.toStage}, {words(h.toStatus)}: {h.rationale}
              </li>
            ))}
          </ol>
          <h3>Evidence</h3>
          <ul>
            {detail.evidence.map((s) => (
              <li key={s.id}>
                {when(s.occurredAt)} · {s.agency.name}: {s.summary}
              </li>
            ))}
          </ul>
          <h3>Timeline</h3>
          <ul>
            {detail.case.timeline.nodes.map((s) => (
              <li key={s.id}>
                {when(s.occurredAt)} · {s.agency.name}: {s.summary}
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

function Board({ token, onSignOut }: { token: string; onSignOut: (message?: string) => void }) {
  const partnership = claimsOf(token)?.partnership;
  const [items, setItems] = useState<Map<string, BoardEscalation>>(new Map());
  const [live, setLive] = useState<'connecting' | 'live' | 'closed'>('connecting');
  const [now, setNow] = useState(Date.now());
  const [agency, setAgency] = useState('');
  const [ground, setGround] = useState('');
  const [stages, setStages] = useState<number[]>([...STAGES]);
  const [open, setOpen] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notes, setNotes] = useState<{ items: BoardNotification[]; unread: number }>({
    items: [],
    unread: 0,
  });

  useEffect(() => {
    if (!partnership) return;
    query<{ myNotifications: { nodes: BoardNotification[] }; myUnreadNotificationCount: number }>(
      token,
      NOTIFICATIONS_QUERY,
      {},
    )
      .then((d) => setNotes({ items: d.myNotifications.nodes, unread: d.myUnreadNotificationCount }))
      .catch((err: Error) => setError(err.message));
    const reload = () =>
      query<{ escalations: { nodes: BoardEscalation[] } }>(token, BOARD_QUERY, { p: partnership })
        .then((d) => setItems(new Map(d.escalations.nodes.map((e) => [e.id, e]))))
        .catch((err: Error & { code?: string }) =>
          err.code === 'UNAUTHENTICATED' || err.code === 'TOKEN_EXPIRED'
            ? onSignOut(err.message)
            : setError(err.message),
        );
    void reload();
    const client = liveClient(token, (code, reason) => {
      setLive('closed');
      if (code === 4401 || code === 4403)
        onSignOut(reason === 'TOKEN_EXPIRED' ? 'Your token has expired.' : undefined);
    });
    client.on('connected', () => setLive('live'));
    const stop = client.subscribe<{ escalationChanged: BoardEscalation }>(
      { query: BOARD_SUBSCRIPTION, variables: { p: partnership } },
      {
        next: (r) => {
          const e = r.data?.escalationChanged;
          if (e) setItems((m) => new Map(m).set(e.id, e));
          // A change the gateway could not send (NOT_SENT): the board may be out of date, so it is read again.
          else if (r.errors?.length) void reload();
        },
        error: () => setLive('closed'),
        complete: () => undefined,
      },
    );
    const stopNotes = client.subscribe<{ notificationReceived: BoardNotification }>(
      { query: NOTIFICATION_SUBSCRIPTION },
      {
        next: (r) => {
          const n = r.data?.notificationReceived;
          if (!n) return;
          setNotes((current) =>
            current.items.some((i) => i.id === n.id)
              ? current
              : { items: [n, ...current.items], unread: current.unread + (n.readAt ? 0 : 1) },
          );
        },
        error: () => setLive('closed'),
        complete: () => undefined,
      },
    );
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      clearInterval(tick);
      stop();
      stopNotes();
      void client.dispose();
    };
  }, [token, partnership]);

  const all = [...items.values()].filter((e) => e.status !== 'RESOLVED' && e.status !== 'REDIRECTED');
  const agencies = useMemo(() => {
    const m = new Map<string, string>();
    for (const e of all) {
      m.set(e.raisingAgency.id, e.raisingAgency.name);
      m.set(e.receivingAgency.id, e.receivingAgency.name);
    }
    return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [items]);
  const grounds = [...new Set(all.map((e) => e.ground))].sort();
  const shown = all
    .filter((e) => !agency || e.raisingAgency.id === agency || e.receivingAgency.id === agency)
    .filter((e) => !ground || e.ground === ground)
    .filter((e) => stages.includes(e.stage))
    .sort(
      (a, b) =>
        Number(b.immediateRisk) - Number(a.immediateRisk) ||
        (a.stageDeadline ?? '9').localeCompare(b.stageDeadline ?? '9'),
    );

  if (!partnership) return <SignIn onToken={() => undefined} message="This token names no partnership." />;
  return (
    <div class="board">
      <header>
        <h1>MASH escalation board</h1>
        <span class={`live ${live}`} data-live={live}>
          {live === 'live' ? '● live' : live === 'connecting' ? 'connecting…' : 'not live'}
        </span>
        <span class="count">{shown.length} open</span>
        <button type="button" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <section class="filters" aria-label="Filters">
        <label>
          Agency
          <select value={agency} onChange={(e) => setAgency(e.currentTarget.value)}>
            <option value="">All agencies</option>
            {agencies.map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Ground
          <select value={ground} onChange={(e) => setGround(e.currentTarget.value)}>
            <option value="">All grounds</option>
            {grounds.map((g) => (
              <option value={g}>{words(g)}</option>
            ))}
          </select>
        </label>
        {STAGES.map((s) => (
          <label class="stage-toggle">
            <input
              type="checkbox"
              checked={stages.includes(s)}
              onChange={(e) =>
                setStages(e.currentTarget.checked ? [...stages, s] : stages.filter((x) => x !== s))
              }
            />
            Stage {s}
          </label>
        ))}
      </section>
      {error && <p class="error">{error}</p>}
      <Notifications
        token={token}
        items={notes.items}
        unread={notes.unread}
        onChange={(items, unread) => setNotes({ items, unread })}
        onOpen={setOpen}
      />
      <div class="columns">
        {STAGES.filter((s) => stages.includes(s)).map((s) => (
          <section class="column" aria-label={STAGE_NAMES[s]}>
            <h2>{STAGE_NAMES[s]}</h2>
            <ul>
              {shown
                .filter((e) => e.stage === s)
                .map((e) => (
                  <Card e={e} now={now} onOpen={() => setOpen(e.id)} />
                ))}
            </ul>
          </section>
        ))}
      </div>
      {open && <Detail token={token} id={open} onClose={() => setOpen(undefined)} />}
    </div>
  );
}

function App() {
  const [token, setToken] = useState<string | undefined>(sessionStorage.getItem(TOKEN_KEY) ?? undefined);
  const [message, setMessage] = useState<string | undefined>();
  if (!token) {
    return (
      <SignIn
        message={message}
        onToken={(t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setMessage(undefined);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Board
      token={token}
      onSignOut={(why) => {
        sessionStorage.removeItem(TOKEN_KEY);
        setMessage(why);
        setToken(undefined);
      }}
    />
  );
}

const root = document.getElementById('app')!;
// The page's own "Loading…" text is replaced, not kept beside the app.
root.textContent = '';
render(<App />, root);
