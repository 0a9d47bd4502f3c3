/** The machine-readable plan: the Plan itself, keys in a stable order. */
import type { Plan } from '../types.js';

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
