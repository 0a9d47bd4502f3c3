/** Asks on the terminal before writing; never defaults to yes. */
import { createInterface } from 'node:readline/promises';
import { ConfirmationDeclined } from '../errors.js';

export async function confirmApply(yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new ConfirmationDeclined('refusing to apply without confirmation: there is no terminal to ask on (pass --yes)');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('\nDo you want to apply these changes? Only "yes" will be accepted: ');
    if (answer.trim() !== 'yes') throw new ConfirmationDeclined('apply cancelled: the answer was not "yes"');
  } finally {
    rl.close();
  }
}
