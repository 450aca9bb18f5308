// The planned events of a cell as plain objects, for the JSON.stringify floors (bench/plan.ts,
// bench/commands.ts): a live log's content decodes its text from its JSON only when read
// (timeline/encode.ts jsonContent), and a floor must not pay for that, so each content is copied
// to a plain object, as JSON.parse would give it.
import type { PlanInputs } from '../src/inputs/types.js';
import { buildContext } from '../src/sim/context.js';
import { planEvents } from '../src/sim/plan.js';
import type { TimelineEvent } from '../src/timeline/types.js';

export function plainPlannedEvents(seed: string, inp: PlanInputs): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const e of planEvents(buildContext(seed, inp))) {
    if (e.content !== undefined) e.content = { ...e.content };
    events.push(e);
  }
  return events;
}
