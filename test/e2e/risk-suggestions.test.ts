/**
 * Issue 17 item 7, end to end over the emulator: for every rule of the guardrail registry, the
 * `allow_risky` entry the plan suggests — copied from the text plan as a person would — validates,
 * and pasted into the configuration it allows exactly that change: the re-plan shows that change
 * allowed and every other risky change still refused. With every suggestion pasted, apply goes
 * through. (A few scenarios are seen on a second project: every entry is pasted into every
 * project's document, and still allows exactly its own change.)
 */
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskRules } from '../../src/providers/index.js';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';
import { RISK_SCENARIOS, merge, type RiskScenario } from './risk-scenarios.js';

interface PlannedChange {
  path: string;
  risk?: { rule: string; key: string; allowed: boolean };
}
interface JsonPlan {
  projects: Array<{ ref: string; sections: Array<{ section: string; changes: PlannedChange[] }> }>;
}

const scenarios = riskRules.map((rule) => ({ rule: rule.id, scenario: RISK_SCENARIOS[rule.id] }));
const refs = [...new Set([REF, ...scenarios.flatMap((s) => s.scenario?.project ?? [])])];
const on = (ref: string): RiskScenario[] => scenarios.flatMap((s) => (s.scenario && (s.scenario.project ?? REF) === ref ? [s.scenario] : []));
const seeds = refs.map((ref) => on(ref).reduce<Record<string, unknown>>((all, s) => merge(all, s.seed), { ref }));
const sections = new Map(refs.map((ref) => [ref, on(ref).reduce<Record<string, unknown>>((all, s) => merge(all, s.config), {})]));
const env = Object.assign({ SUPABASE_ACCESS_TOKEN: TOKEN }, ...scenarios.map((s) => s.scenario?.env ?? {})) as Record<string, string>;

let emu: TestEmulator;
let ws: Workspace;

const cli = (args: string[]) => runCli(args, { env: { ...env, SUPABASE_API_URL: emu.url } });
/** Each project's document, with the `allow_risky:` lines pasted in as they were printed. */
const documentsWith = (pasted: string[]): Record<string, string> =>
  Object.fromEntries(refs.map((ref) => [`${ref}.yaml`, `project: ${ref}\n${pasted.map((l) => `${l}\n`).join('')}${stringify(sections.get(ref))}`]));

/** Every risky change of a plan: `project section path` → its risk. */
function risky(plan: JsonPlan): Map<string, NonNullable<PlannedChange['risk']>> {
  const out = new Map<string, NonNullable<PlannedChange['risk']>>();
  for (const p of plan.projects) for (const s of p.sections) for (const c of s.changes) if (c.risk) out.set(`${p.ref} ${s.section} ${c.path}`, c.risk);
  return out;
}

async function planJson(dir: string): Promise<JsonPlan> {
  const r = await cli(['plan', '-c', dir, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonPlan;
}

/** A few at a time: each runs two CLI processes, and this machine has two cores. */
async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

beforeAll(async () => {
  emu = await startTestEmulator();
  const reset = await emu.control('POST', '/_emulator/reset', { projects: seeds });
  expect(reset.status, JSON.stringify(reset.body)).toBe(200);
  ws = workspace(documentsWith([]));
});
afterAll(async () => {
  ws?.remove();
  await emu?.close();
});

describe('guardrail advice that works', () => {
  it('every rule of the registry has a scenario', () => {
    expect(scenarios.filter((s) => !s.scenario).map((s) => s.rule)).toEqual([]);
  });

  it('each suggested allow_risky entry validates and allows exactly its change', async () => {
    const before = risky(await planJson(ws.dir));
    // Every rule is seen refusing a change; collections have two items, each with its own key.
    expect([...new Set([...before.values()].map((r) => r.rule))].sort()).toEqual(riskRules.map((r) => r.id).sort());
    expect([...before.values()].every((r) => !r.allowed)).toBe(true);
    const keys = [...before.values()].map((r) => r.key);
    expect(new Set(keys).size, 'one entry per change').toBe(keys.length);

    // What a person copies: the entry printed on its own line under each refused change.
    const text = await cli(['plan', '-c', ws.dir]);
    const suggested = [...text.stdout.matchAll(/^ +(allow_risky: .+)$/gm)].map((m) => m[1]!);
    expect(suggested).toHaveLength(before.size);
    expect(suggested.map((line) => (parse(line) as { allow_risky: string[] }).allow_risky[0]).sort()).toEqual([...keys].sort());

    await inBatches(suggested, 3, async (line) => {
      const key = (parse(line) as { allow_risky: string[] }).allow_risky[0]!;
      const one = workspace(documentsWith([line]));
      try {
        const validate = await cli(['validate', '-c', one.dir]);
        expect(validate.code, `${line}: ${validate.stderr}`).toBe(0);
        const after = risky(await planJson(one.dir));
        for (const [change, risk] of before) {
          expect(after.get(change)?.allowed, `${line} → ${change}`).toBe(risk.key === key);
        }
      } finally {
        one.remove();
      }
    });
    // Two CLI runs per entry, for some forty entries: past the default timeout on a loaded machine.
  }, 180_000);

  it('with every suggestion pasted, apply writes everything and the project converges', async () => {
    const text = await cli(['plan', '-c', ws.dir]);
    const suggested = [...text.stdout.matchAll(/^ +(allow_risky: .+)$/gm)].map((m) => m[1]!);
    const entries = suggested.flatMap((line) => (parse(line) as { allow_risky: string[] }).allow_risky);
    const all = workspace(documentsWith([`allow_risky: ${JSON.stringify(entries)}`]));
    try {
      const apply = await cli(['apply', '-c', all.dir, '--yes']);
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(apply.stdout).toMatch(new RegExp(`Apply complete: \\d+ changes applied to ${refs.length} projects?\\.`));
      const again = await cli(['plan', '-c', all.dir, '--detailed-exitcode']);
      expect(again.code, again.stdout).toBe(0);
      expect(again.stdout).toContain('No changes.');
    } finally {
      all.remove();
    }
  });
});
