import type { Plan } from '../types.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

/** Loads only the renderer asked for: a command renders one format, and start-up pays for that one. */
export async function renderPlan(plan: Plan, format: PlanFormat, opts: { color?: boolean } = {}): Promise<string> {
  if (format === 'json') return (await import('./json.js')).renderJson(plan);
  if (format === 'markdown') return (await import('./markdown.js')).renderMarkdown(plan);
  return (await import('./text.js')).renderText(plan, { color: opts.color ?? false });
}
