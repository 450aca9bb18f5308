// Invariant 9: the timeline's shares against the probabilities of SPEC 3.2, with bounds that
// stay valid although the timeline does not record every draw.
//
// What a timeline shows is the outcome of each tick, not the draws behind it: a create whose
// class has no unused name left falls through to an edit or a quiet tick, a canary that would
// pass the cap or reuse a placement falls through to an ordinary create. Those fall-throughs
// only ever remove outcomes of a kind, so each test bounds the number of *attempts* from the
// side the fall-throughs cannot disturb:
//
// - upper tests (too many canaries, too many creates of a class): attempts on each tick happen
//   with a conditional probability at most q (for example 0.9 x 0.7 x weight share for a user
//   class on an in-hours tick), so the count is dominated by Binomial(ticks, q), whose upper tail
//   is bounded by the Poisson tail of the same mean;
// - lower tests (too few): used only where nothing can fall through (the first canary of each
//   decky, temporary cache files whose names are unique per tick, quiet draws) or, for the edit
//   share, with an allowance for the planner's bounded working set;
// - a class with a positive weight that is never created although its first attempt could not
//   have failed is a violation when not seeing any attempt at all is implausible.
//
// All p-values are exact (log-space) tails, compared with alpha / m (Bonferroni over the m tests
// run). A test that could not reject whatever was observed reports "sample too small".
import { canaryUsable } from '../sim/context.js';
import { CANARY_SPECS } from '../canary/registry.js';
import { hasDumpJob } from '../machine/machine.js';
import { CANARY_CLASSES, SYSTEM_CLASSES, USER_CLASSES, type PlanInputs } from '../inputs/types.js';
import type { TimelineEvent } from '../timeline/types.js';
import type { Activity } from './activity.js';
import { binomLower, normalQuantile, poissonLower, poissonUpper } from './probability.js';

// SPEC 3.2 constants.
const LEAVE_ALONE = 0.1;
const EDIT_BAND = 0.3; // roll in [0.10, 0.40)
const LOOKUP = 0.5;
const USER_SHARE = 0.7;
/** Share of intended edits that the planner's bounded working set and size limits may refuse. */
export const EDIT_ALLOWANCE = 0.5;

export interface StatTest {
  name: string;
  status: 'ok' | 'violation' | 'too-small';
  observed: string;
  /** The observed figures as numbers: `count` out of `of` (the prose is `observed`). */
  count: number;
  of: number;
  /** count / of, or null when `of` is 0. */
  share: number | null;
  expected: string;
  /** The share the test holds the count against (a lower or upper bound, see `expected`), or null. */
  expectedShare: number | null;
  /** The smallest tail probability of the test (null when not computed). */
  pValue: number | null;
  /** The significance level each test is held to (alpha shared over the tests). */
  alphaPerTest: number;
  detail: string;
}

interface DeckyCounters {
  lastTick: number;
  logs: number;
  userFiles: Map<string, number>;
  firstCanary: boolean;
  trials: number;
  failures: number;
}

export interface BeforeEvent {
  inHours: boolean;
  candidate: boolean;
  counted: boolean;
}

export class StatCounters {
  private readonly inputs: PlanInputs;
  private readonly activity: Activity;
  private readonly deckies = new Map<string, DeckyCounters>();
  private readonly paths = new Set<string>();
  tin = 0;
  toff = 0;
  missing = 0;
  createsIn = 0;
  readonly created = new Map<string, number>();
  canaries = 0;
  leaveAloneIn = 0;
  quietOff = 0;
  editsIn = 0;
  candidateTicks = 0;

  constructor(inputs: PlanInputs, activity: Activity) {
    this.inputs = inputs;
    this.activity = activity;
  }

  private decky(uuid: string): DeckyCounters {
    let d = this.deckies.get(uuid);
    if (!d) {
      d = { lastTick: -1, logs: 0, userFiles: new Map(), firstCanary: false, trials: 0, failures: 0 };
      this.deckies.set(uuid, d);
    }
    return d;
  }

  beforeEvent(ev: TimelineEvent, t: number): BeforeEvent {
    const d = this.decky(ev.decky.uuid);
    if (!this.inputs.quiet && ev.tick > d.lastTick + 1) this.missing += ev.tick - d.lastTick - 1;
    d.lastTick = Math.max(d.lastTick, ev.tick);
    if (ev.kind === 'traffic') return { inHours: false, candidate: false, counted: false };
    if (ev.job !== undefined) {
      // The machine's own events (history, logrotate, rsyslogd, cron) are not rolled by a tick;
      // the logs they create are edit candidates from then on.
      if (ev.action === 'file:create' && (ev.contentClass === 'log_cron' || ev.contentClass === 'log_daemon')) {
        const key = `${ev.decky.uuid}\u0000${ev.path}`;
        if (!this.paths.has(key)) {
          this.paths.add(key);
          d.logs++;
        }
      }
      return { inHours: false, candidate: false, counted: false };
    }
    const active = this.activity.activeOn(ev.decky.uuid, t, true);
    const inHours = active.length > 0;
    let candidate = false;
    if (inHours) {
      candidate = d.logs > 0 || active.some((n) => (d.userFiles.get(n) ?? 0) > 0);
      this.tin++;
      if (candidate) this.candidateTicks++;
    } else this.toff++;
    return { inHours, candidate, counted: true };
  }

  afterEvent(ev: TimelineEvent, b: BeforeEvent): void {
    if (!b.counted) return;
    const d = this.decky(ev.decky.uuid);
    if (ev.kind === 'quiet') {
      if (b.inHours) this.leaveAloneIn++;
      else this.quietOff++;
      return;
    }
    const cls = ev.contentClass ?? '';
    if (ev.action === 'file:edit') {
      if (b.inHours) this.editsIn++;
      return;
    }
    this.created.set(cls, (this.created.get(cls) ?? 0) + 1);
    const isCanary = cls.startsWith('canary_');
    if (isCanary) this.canaries++;
    if (b.inHours) {
      this.createsIn++;
      if (!d.firstCanary) {
        d.trials++;
        if (isCanary) d.firstCanary = true;
        else d.failures++;
      }
    }
    const key = `${ev.decky.uuid}\u0000${ev.path}`;
    if (this.paths.has(key)) return;
    this.paths.add(key);
    if (cls === 'log_cron' || cls === 'log_daemon') d.logs++;
    else if ((USER_CLASSES as readonly string[]).includes(cls) && ev.persona !== undefined) d.userFiles.set(ev.persona, (d.userFiles.get(ev.persona) ?? 0) + 1);
  }

  /** Run the tests at family-wise level alpha. */
  tests(alpha: number): StatTest[] {
    const { config } = this.inputs;
    const effCanary = CANARY_CLASSES.filter((c) => config.weights.canary[c] > 0 && canaryUsable(c, config.canary));
    const pEff = effCanary.length > 0 && config.canaryCapPerDecky > 0 ? config.canaryProbability : 0;
    const oq = config.offHoursQuiet;
    const tin = this.tin;
    const tinHi = this.tin + this.missing;

    type Pending = { name: string; observed: string; count: number; of: number; expected: string; expectedShare: number | null; run: (a: number) => { status: StatTest['status']; p: number | null; detail: string } };
    const pending: Pending[] = [];

    // Canary share: too many.
    {
      const mu = tinHi * (1 - LEAVE_ALONE) * pEff;
      const c = this.canaries;
      const share = this.createsIn > 0 ? c / this.createsIn : 0;
      pending.push({
        name: 'canary share of creates (too many)',
        observed: `${c} canaries in ${this.createsIn} in-hours creates (${pct(share)})`,
        count: c,
        of: this.createsIn,
        expectedShare: config.canaryProbability,
        expected: `canaryProbability ${config.canaryProbability}${pEff === 0 ? ' (no canary can be planted with these settings)' : ''}; at most ${fmt(mu)} attempts expected`,
        run: (a) => {
          if (pEff === 0) return c > 0 ? { status: 'violation', p: 0, detail: `${c} canaries although none can be planted` } : { status: 'ok', p: 1, detail: 'none planted, none possible' };
          const p = poissonUpper(mu, c);
          return { status: p < a ? 'violation' : 'ok', p, detail: `P(attempts >= ${c}) <= ${sci(p)}` };
        },
      });
    }
    // Canary share: too few (first canary per decky; nothing falls through before it).
    if (pEff > 0) {
      let trials = 0;
      let failures = 0;
      let deckies = 0;
      // A decky without a nightly dump job never draws the dump lure (the planner leaves it out
      // of that decky's weights): with no other class usable, it takes no canary at all.
      const seed = this.activity.seed;
      const onlyDump = effCanary.every((c) => CANARY_SPECS[c].systemOwned);
      for (const [uuid, d] of this.deckies) {
        if (d.trials === 0) continue;
        const decky = this.activity.decky(uuid);
        if (onlyDump && seed !== null && decky && !hasDumpJob(seed, uuid, decky.services)) continue;
        deckies++;
        trials += d.trials;
        failures += d.failures;
      }
      pending.push({
        name: 'canary share of creates (too few)',
        observed: `${failures} in-hours creates on ${deckies} deckies before each decky's first canary`,
        count: failures,
        of: trials,
        expectedShare: pEff,
        expected: `waiting times geometric with p = ${pEff}`,
        run: (a) => {
          if (deckies === 0) return { status: 'too-small', p: null, detail: 'no in-hours creates' };
          const worst = binomLower(this.createsIn + deckies - 1, pEff, deckies - 1);
          const p = binomLower(failures + deckies - 1, pEff, deckies - 1);
          if (worst >= a) return { status: 'too-small', p, detail: `sample too small to judge (${this.createsIn} in-hours creates)` };
          return { status: p < a ? 'violation' : 'ok', p, detail: `P(waits this long) <= ${sci(p)} (${trials} trials)` };
        },
      });
    }

    // Class shares within user and within system content.
    const groups: Array<['user' | 'system', readonly string[], Record<string, number>]> = [
      ['user', USER_CLASSES, config.weights.user],
      ['system', SYSTEM_CLASSES, config.weights.system],
    ];
    for (const [group, classes, weights] of groups) {
      const total = classes.reduce((s, c) => s + (weights[c] ?? 0), 0);
      const createdInGroup = classes.reduce((s, c) => s + (this.created.get(c) ?? 0), 0);
      for (const c of classes) {
        const share = total > 0 ? (weights[c] ?? 0) / total : 0;
        const n = this.created.get(c) ?? 0;
        const qInHi = (1 - LEAVE_ALONE) * (group === 'user' ? USER_SHARE : 1 - USER_SHARE) * share;
        const qOffHi = group === 'system' ? (1 - oq) * share : 0;
        const muHi = tin * qInHi + this.toff * qOffHi + this.missing * Math.max(qInHi, qOffHi);
        const qInLo = (1 - LEAVE_ALONE - EDIT_BAND) * (1 - pEff) * (group === 'user' ? USER_SHARE : 1 - USER_SHARE) * share;
        const qOffLo = group === 'system' ? (1 - oq) * 0.5 * share : 0;
        const muLo = tin * qInLo + this.toff * qOffLo;
        const never = Math.exp(tin * Math.log1p(-qInLo) + this.toff * Math.log1p(-qOffLo));
        pending.push({
          name: `${c} share of ${group} creates`,
          observed: `${n} of ${createdInGroup} (${pct(createdInGroup > 0 ? n / createdInGroup : 0)})`,
          count: n,
          of: createdInGroup,
          expectedShare: share,
          expected: `weight ${weights[c] ?? 0}/${total} (${pct(share)}); attempts expected in [${fmt(muLo)}, ${fmt(muHi)}]`,
          run: (a) => {
            if (share === 0) return n > 0 ? { status: 'violation', p: 0, detail: `${n} creates of a class with weight 0` } : { status: 'ok', p: 1, detail: 'weight 0, none created' };
            const up = poissonUpper(muHi, n);
            if (up < a) return { status: 'violation', p: up, detail: `too many: P(attempts >= ${n}) <= ${sci(up)}` };
            if (n === 0 && never < a) return { status: 'violation', p: never, detail: `never created although P(no attempt at all) = ${sci(never)}` };
            // Names of temporary cache files are unique per tick: nothing falls through, so a
            // shortfall is measurable too.
            if (c === 'cache_tmp') {
              const lo = poissonLower(muLo, n);
              if (Math.exp(-muLo) >= a) return { status: 'too-small', p: Math.min(up, lo), detail: 'sample too small to judge a shortfall' };
              return { status: lo < a ? 'violation' : 'ok', p: Math.min(up, lo), detail: lo < a ? `too few: P(creates <= ${n}) <= ${sci(lo)}` : 'within bounds' };
            }
            if (never >= a && n === 0) return { status: 'too-small', p: up, detail: 'sample too small to judge' };
            return { status: 'ok', p: up, detail: 'within bounds (a shortfall can be names running out, so only excess is tested)' };
          },
        });
      }
    }

    // Edit share: an in-hours tick with an edit candidate edits with probability 0.5 x 0.3.
    {
      const k = this.candidateTicks;
      const q = LOOKUP * EDIT_BAND * (1 - EDIT_ALLOWANCE);
      const e = this.editsIn;
      pending.push({
        name: 'edit share (in-hours ticks with an edit candidate)',
        observed: `${e} edits in ${k} ticks (${pct(k > 0 ? e / k : 0)})`,
        count: e,
        of: k,
        expectedShare: q,
        expected: `at least ${pct(LOOKUP * EDIT_BAND)} less an allowance of ${pct(EDIT_ALLOWANCE)} for files the planner no longer edits, so >= ${pct(q)}; fall-through edits can add more`,
        run: (a) => {
          if (binomLower(k, q, 0) >= a) return { status: 'too-small', p: null, detail: 'sample too small to judge' };
          const p = binomLower(k, q, e);
          return { status: p < a ? 'violation' : 'ok', p, detail: `P(edits <= ${e}) <= ${sci(p)}` };
        },
      });
    }
    // Quiet shares (only when quiet events are in the timeline).
    if (this.inputs.quiet) {
      const l = this.leaveAloneIn;
      pending.push({
        name: 'leave-alone share of in-hours ticks',
        observed: `${l} of ${tin} (${pct(tin > 0 ? l / tin : 0)})`,
        count: l,
        of: tin,
        expectedShare: LEAVE_ALONE,
        expected: `at least ${pct(LEAVE_ALONE)}`,
        run: (a) => {
          if (binomLower(tin, LEAVE_ALONE, 0) >= a) return { status: 'too-small', p: null, detail: 'sample too small to judge' };
          const p = binomLower(tin, LEAVE_ALONE, l);
          return { status: p < a ? 'violation' : 'ok', p, detail: `P(quiet <= ${l}) <= ${sci(p)}` };
        },
      });
      const qo = this.quietOff;
      pending.push({
        name: 'quiet share of off-hours ticks',
        observed: `${qo} of ${this.toff} (${pct(this.toff > 0 ? qo / this.toff : 0)})`,
        count: qo,
        of: this.toff,
        expectedShare: oq,
        expected: `at least offHoursQuiet ${oq}`,
        run: (a) => {
          if (oq === 0 || binomLower(this.toff, oq, 0) >= a) return { status: 'too-small', p: null, detail: 'sample too small to judge' };
          const p = binomLower(this.toff, oq, qo);
          return { status: p < a ? 'violation' : 'ok', p, detail: `P(quiet <= ${qo}) <= ${sci(p)}` };
        },
      });
    }

    const perTest = alpha / pending.length;
    const z = normalQuantile(1 - perTest / 2);
    return pending.map((t) => {
      const r = t.run(perTest);
      return { name: t.name, status: r.status, observed: t.observed, count: t.count, of: t.of, share: t.of > 0 ? t.count / t.of : null, expected: t.expected, expectedShare: t.expectedShare, pValue: r.p, alphaPerTest: perTest, detail: `${r.detail} (alpha ${sci(perTest)} per test, z ${z.toFixed(2)})` };
    });
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function sci(x: number): string {
  return x === 0 ? '0' : x < 1e-3 ? x.toExponential(1) : x.toFixed(4);
}

